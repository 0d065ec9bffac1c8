using System.Net;
using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Ledger;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Identity;

/// <summary>
/// Every audit row names the Kubernetes user who caused it, as the webhook saw them in <c>userInfo</c>, or the
/// operator for its own scheduled work; nothing a client sets (a label, an annotation, a field manager) can change that.
/// </summary>
public sealed class RequesterAuditTests(RbacEnforcingSimFixture cluster) : WebhookOperatorTest(cluster), IClassFixture<RbacEnforcingSimFixture>
{
    [Fact]
    public async Task Audit_rows_name_the_requester_of_create_change_rotation_emergency_and_delete()
    {
        await StartWithWebhookAsync();

        await CreateApiKeyAsAsync(Admin, "billing");
        var ready = await WaitForReadyAsync("billing");
        var expiresAt = DateTime.UtcNow.AddDays(30).Date;
        await As<ApiKey>(Editor).PatchAsync(Key("billing"), $$$"""{"spec":{"expiresAt":"{{{expiresAt:yyyy-MM-ddTHH:mm:ssZ}}}"}}""", Ct);
        var changed = await AuditRowAsync("billing", AuditEventKinds.ExpiryUpdated);
        await As<ApiKeyRotation>(Editor).CreateAsync(Rotation("planned", "billing", RotationStrategies.Graceful), Ct);
        var rotated = await AuditRowAsync("billing", AuditEventKinds.RotationStarted, r => r.Rotation == "planned");
        await As<ApiKeyRotation>(Editor).CreateAsync(Rotation("leak", "billing", RotationStrategies.Emergency), Ct);
        var emergency = await AuditRowAsync("billing", AuditEventKinds.RotationStarted, r => r.Rotation == "leak");
        await As<ApiKey>(Editor).DeleteAsync(Key("billing"), Ct);
        await Eventually.WaitAsync(async ct => await Resources<ApiKey>().GetAsync(Key("billing"), ct) is null, Timeout, "billing gone", Ct);
        var rows = await AuditRowsAsync("billing");

        Assert.Equal(Admin, Assert.Single(rows, r => r.Kind == AuditEventKinds.Issued && r.KeyId == ready.Status.CurrentKeyId).Actor);
        Assert.Equal(Editor, changed.Actor);
        Assert.Equal(Editor, rotated.Actor);
        Assert.Equal(Editor, emergency.Actor);
        Assert.Equal(Editor, Assert.Single(rows, r => r.Kind == DeletionAudit.Kind).Actor);
        Assert.All(rows.Where(r => r.Kind == AuditEventKinds.Deleted), r => Assert.Equal(Editor, r.Actor));
        Assert.Contains(rows, r => r.Kind == AuditEventKinds.Deleted);
    }

    [Fact]
    public async Task Scheduled_rotations_are_the_operators_and_a_planted_scheduled_label_is_its_authors()
    {
        await StartWithWebhookAsync();
        await CreateApiKeyAsAsync(Admin, "nightly", s =>
        {
            s.Validity = "1m";
            s.Rotation = new ApiKeyRotationPolicy { Every = "1m", GracePeriod = "0s" };
            s.Rollout = new RolloutSpec { Timeout = "55s" };
        });
        var ready = await WaitForReadyAsync("nightly");
        var planted = Rotation("nightly-scheduled-by-hand", "nightly", RotationStrategies.Graceful);
        planted.Metadata.Labels = new Dictionary<string, string> { [WellKnown.ScheduledLabel] = "true", [WellKnown.ApiKeyLabel] = "nightly" };
        planted.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = ApiGroup.ApiVersion, Kind = ApiKey.KubeKind, Name = "nightly", Uid = ready.Metadata.Uid, Controller = true }];
        await As<ApiKeyRotation>(Editor).CreateAsync(planted, Ct);

        var byHand = await AuditRowAsync("nightly", AuditEventKinds.RotationStarted, r => r.Rotation == planted.Metadata.Name);
        var scheduled = await AuditRowAsync("nightly", AuditEventKinds.RotationStarted, r => r.Rotation != planted.Metadata.Name);
        var stored = (await Resources<ApiKeyRotation>().GetAsync(Key(scheduled.Rotation!), Ct))!;

        Assert.Equal(Editor, byHand.Actor);
        Assert.Equal(Requester.Operator.Username, scheduled.Actor);
        Assert.Equal("true", stored.Metadata.Labels[WellKnown.ScheduledLabel]);
        // The operator's create went through the webhook and was stamped from its own userInfo.
        Assert.Equal(OperatorIdentities.Operator, RequesterRecord.Read(stored.Metadata.Annotations)!.Username);
    }

    [Fact]
    public async Task A_client_set_requester_record_is_refused_and_a_chosen_field_manager_names_nobody()
    {
        await StartWithWebhookAsync();
        await CreateApiKeyAsAsync(Admin, "billing");
        await WaitForReadyAsync("billing");
        var stolen = (await Resources<ApiKey>().GetAsync(Key("billing"), Ct))!.Metadata.Annotations[RequesterRecord.Annotation];

        // A record copied from another key, on a create and on an update of someone else's key.
        var planted = await RefusedAsync(() => As<ApiKey>(Editor).CreateAsync(new ApiKey
        {
            Metadata = new V1ObjectMeta { Name = "forged", NamespaceProperty = Namespace, Annotations = new Dictionary<string, string> { [RequesterRecord.Annotation] = stolen } },
            Spec = new ApiKeySpec { SecretName = "forged-key" },
        }, Ct));
        var before = (await Resources<ApiKey>().GetAsync(Key("billing"), Ct))!;
        var rewritten = await RefusedAsync(() => As<ApiKey>(Editor).PatchAsync(
            Key("billing"), """{"metadata":{"annotations":{"apikeyoperator.io/requester":"{\"username\":\"system:apikey-operator\",\"name\":\"billing\",\"specHash\":\"x\",\"mac\":\"x\"}"}}}""", Ct));

        // The operator's own field manager, chosen by the client.
        await UserClient(Editor).CustomObjects.CreateNamespacedCustomObjectAsync(
            new ApiKey { Metadata = new V1ObjectMeta { Name = "managed", NamespaceProperty = Namespace }, Spec = new ApiKeySpec { SecretName = "managed-key" } },
            ApiGroup.Name, ApiGroup.Version, Namespace, ApiKey.KubePlural, fieldManager: "apikey-operator", cancellationToken: Ct);
        var issued = await AuditRowAsync("managed", AuditEventKinds.Issued);

        Assert.Equal(HttpStatusCode.Forbidden, planted.Code);
        Assert.Contains($"metadata.annotations[{RequesterRecord.Annotation}]: Forbidden", planted.Message, StringComparison.Ordinal);
        Assert.Null(await Resources<ApiKey>().GetAsync(Key("forged"), Ct));
        Assert.Equal(HttpStatusCode.Forbidden, rewritten.Code);
        Assert.Equal(before.Metadata.ResourceVersion, (await Resources<ApiKey>().GetAsync(Key("billing"), Ct))!.Metadata.ResourceVersion);
        Assert.Equal(Editor, issued.Actor);
    }

    [Fact]
    public async Task Dry_runs_are_not_recorded_and_namespace_deletion_is_not_blocked()
    {
        await StartWithWebhookAsync();
        await CreateApiKeyAsAsync(Admin, "billing");
        await WaitForReadyAsync("billing");

        await UserClient(Admin).CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, Namespace, ApiKey.KubePlural, "billing", dryRun: "All", cancellationToken: Ct);
        await CreateApiKeyAsAsync(Admin, "payments");
        await WaitForReadyAsync("payments");

        Assert.NotNull(await Resources<ApiKey>().GetAsync(Key("billing"), Ct));
        Assert.DoesNotContain(await AuditRowsAsync("billing"), r => r.Kind == DeletionAudit.Kind);
        // The namespace controller's deletes pass the webhook (and are recorded as its own).
        await Client.CoreV1.DeleteNamespaceAsync(Namespace, cancellationToken: Ct);
        var deleted = await AuditRowAsync("payments", DeletionAudit.Kind);
        Assert.Equal("system:serviceaccount:kube-system:namespace-controller", deleted.Actor);
    }

    private ApiKeyRotation Rotation(string name, string apiKey, string strategy) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new ApiKeyRotationSpec { ApiKeyName = apiKey, Strategy = strategy, Reason = "test" },
    };
}
