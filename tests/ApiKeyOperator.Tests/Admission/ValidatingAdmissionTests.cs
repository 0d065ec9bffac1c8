using System.Text.Json.Nodes;
using ApiKeyOperator.Admission;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Tests.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static ApiKeyOperator.Tests.Admission.AdmissionRequests;

namespace ApiKeyOperator.Tests.Admission;

public sealed class ValidatingAdmissionTests
{
    private static readonly RequesterSigner Signer = new(new RequesterKey(new byte[32]));
    private readonly FakeAccess _access = new();
    private readonly RecordingAuditLedger _ledger = new();
    private readonly Dictionary<WorkloadRef, WorkloadSnapshot> _workloads = [];
    private readonly ValidatingAdmission _admission;

    public ValidatingAdmissionTests() => _admission = new ValidatingAdmission(
        Signer, new EscalationChecks(_access, (_, w) => _workloads.GetValueOrDefault(w)), _ledger, NullLogger<ValidatingAdmission>.Instance);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_create_the_mutating_webhook_did_not_stamp_is_refused()
    {
        var decision = await _admission.DecideAsync(Request("CREATE", ApiKey("billing", """{"secretName":"k"}""")), Ct);

        Assert.False(decision.Allowed);
        Assert.Contains("requester record does not name \"bob\"", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moving_the_key_needs_get_on_the_current_secret()
    {
        var stored = Stamped(ApiKey("billing", """{"secretName":"victim-key"}"""));
        var moved = Changed(stored, spec => spec["secretName"] = "mine");

        var refused = await _admission.DecideAsync(Request("UPDATE", moved, stored), Ct);
        _access.Allow("get", "secrets", "victim-key");
        var allowed = await _admission.DecideAsync(Request("UPDATE", moved, stored), Ct);

        Assert.False(refused.Allowed);
        Assert.Equal(
            "spec.secretName: Forbidden: moving the key out of Secret \"victim-key\" requires permission to read it: user \"bob\" cannot get secrets \"victim-key\" in the namespace \"team\"",
            refused.Message);
        Assert.True(allowed.Allowed);
    }

    [Fact]
    public async Task A_rollout_target_needs_patch_on_it_and_must_read_the_secret()
    {
        var stored = Stamped(ApiKey("billing", """{"secretName":"k"}"""));
        var targeted = Changed(stored, spec => spec["rollout"] = JsonNode.Parse("""{"targets":[{"kind":"Deployment","name":"payroll"}]}"""));
        _workloads[new WorkloadRef("Deployment", "payroll")] = Workload("payroll", readsSecret: "other");

        var noPatch = await _admission.DecideAsync(Request("UPDATE", targeted, stored), Ct);
        _access.Allow("patch", "deployments", "payroll");
        var notReading = await _admission.DecideAsync(Request("UPDATE", targeted, stored), Ct);
        _workloads[new WorkloadRef("Deployment", "payroll")] = Workload("payroll", readsSecret: "k");
        var allowed = await _admission.DecideAsync(Request("UPDATE", targeted, stored), Ct);

        Assert.Contains("spec.rollout.targets[0]: Forbidden", noPatch.Message, StringComparison.Ordinal);
        Assert.Contains("cannot patch deployments.apps \"payroll\" in the namespace \"team\"", noPatch.Message, StringComparison.Ordinal);
        Assert.Contains("does not reference Secret \"k\"", notReading.Message, StringComparison.Ordinal);
        Assert.True(allowed.Allowed);
    }

    [Fact]
    public async Task Only_scopes_the_change_adds_need_grant()
    {
        var stored = Stamped(ApiKey("billing", """{"secretName":"k","scopes":["granted-by-admin"]}"""));
        var widened = Changed(stored, spec => spec["scopes"] = new JsonArray("granted-by-admin", "invoices:write"));
        var otherEdit = Changed(stored, spec => spec["validity"] = "24h");

        var refused = await _admission.DecideAsync(Request("UPDATE", widened, stored), Ct);
        var edit = await _admission.DecideAsync(Request("UPDATE", otherEdit, stored), Ct);

        Assert.Equal(
            "spec.scopes: Forbidden: granting scope \"invoices:write\" requires the verb grant on it: user \"bob\" cannot grant scopes.apikeyoperator.io \"invoices:write\" in the namespace \"team\"",
            refused.Message);
        Assert.True(edit.Allowed);
        Assert.DoesNotContain(_access.Asked, a => a.Name == "granted-by-admin");
    }

    [Fact]
    public async Task Every_refusal_of_one_change_is_reported_together()
    {
        var stored = Stamped(ApiKey("billing", """{"secretName":"victim-key"}"""));
        var hostile = Changed(stored, spec =>
        {
            spec["secretName"] = "mine";
            spec["scopes"] = new JsonArray("admin");
        });

        var decision = await _admission.DecideAsync(Request("UPDATE", hostile, stored), Ct);

        Assert.Contains("spec.secretName: Forbidden", decision.Message, StringComparison.Ordinal);
        Assert.Contains("spec.scopes: Forbidden", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_is_recorded_with_its_requester_and_never_refused_and_dry_runs_are_not_recorded()
    {
        var stored = Stamped(ApiKey("billing", """{"secretName":"k"}"""));
        var namespaceController = new AdmissionUser("system:serviceaccount:kube-system:namespace-controller", null, [], new Dictionary<string, IReadOnlyList<string>>());

        var dryRun = await _admission.DecideAsync(Request("DELETE", null, stored, dryRun: true), Ct);
        Assert.Empty(_ledger.Entries);
        var real = await _admission.DecideAsync(Request("DELETE", null, stored, namespaceController), Ct);

        Assert.True(dryRun.Allowed);
        Assert.True(real.Allowed);
        var row = Assert.Single(_ledger.Entries);
        Assert.Equal((DeletionAudit.Kind, "team", "billing", namespaceController.Username, DeletionAudit.DeletionMessage("uid-billing")), (row.Kind, row.Namespace, row.ApiKey, row.Actor, row.Message));
    }

    private static JsonObject Stamped(JsonObject obj) =>
        Apply(obj, RequesterStamping.Decide(Request("CREATE", obj), Signer, new OperatorUser(null)));

    private static JsonObject Changed(JsonObject stored, Action<JsonObject> change)
    {
        var changed = (JsonObject)stored.DeepClone();
        change((JsonObject)changed["spec"]!);
        // What the mutating webhook makes of it before validation.
        return Apply(changed, RequesterStamping.Decide(Request("UPDATE", changed, stored), Signer, new OperatorUser(null)));
    }

    private static WorkloadSnapshot Workload(string name, string readsSecret) => new(
        new WorkloadRef("Deployment", name),
        new V1PodTemplateSpec
        {
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = readsSecret } }] }],
            },
        },
        RolloutStatus.Ready("ready"));

    private sealed class FakeAccess : IAccessReviewer
    {
        private readonly HashSet<(string Verb, string Resource, string Name)> _allowed = [];

        public List<ResourceAccess> Asked { get; } = [];

        public void Allow(string verb, string resource, string name) => _allowed.Add((verb, resource, name));

        public Task<bool> IsAllowedAsync(AdmissionUser user, ResourceAccess access, CancellationToken cancellationToken)
        {
            Asked.Add(access);
            return Task.FromResult(user.Username == "bob" && _allowed.Contains((access.Verb, access.Resource, access.Name)));
        }
    }
}
