using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>Changes of validity and expiresAt, and a key reaching its expiry.</summary>
public sealed class ExpiryTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Changing_validity_or_expires_at_moves_only_the_expiry_and_rolls_nothing()
    {
        await StartOperatorAsync();
        await CreateApiKeyAsync("reports");
        var issued = await WaitForReadyAsync("reports");
        var before = (await SecretAsync("reports-key"))!;
        var keyId = issued.Status.CurrentKeyId!;
        var createdAt = issued.Status.Keys!.Single().CreatedAt!.Value;
        var deployment = await Resources<V1Deployment>().CreateAsync(MountingDeployment("reports-api", "reports-key"), Ct);

        await PatchSpecAsync("reports", new { validity = "720h" });
        var shorter = await WaitForAsync<ApiKey>("reports", k => k.Status?.ExpiresAt == createdAt.AddHours(720), "expiry at createdAt + 720h");
        await AssertOnlyExpiryChangedAsync(shorter, keyId, before, createdAt.AddHours(720));

        var absolute = DateTime.UtcNow.AddHours(2);
        absolute = new DateTime(absolute.Year, absolute.Month, absolute.Day, absolute.Hour, absolute.Minute, absolute.Second, DateTimeKind.Utc);
        await PatchSpecAsync("reports", new { expiresAt = ApiKeySecret.FormatTime(absolute) });
        var pinned = await WaitForAsync<ApiKey>("reports", k => k.Status?.ExpiresAt == absolute, "expiry at spec.expiresAt");
        await AssertOnlyExpiryChangedAsync(pinned, keyId, before, absolute);

        static int ExpiryUpdates(IReadOnlyList<Corev1Event> events) =>
            events.Where(e => e.Reason == Reasons.ExpiryUpdated && e.InvolvedObject.Name == "reports").Sum(e => e.Count ?? 1);
        Assert.Equal(2, ExpiryUpdates(await WaitForEventsAsync(events => ExpiryUpdates(events) >= 2, "two ExpiryUpdated")));
        Assert.Empty((await Resources<ApiKeyRotation>().ListAsync(Namespace, null, Ct)).Items);
        var after = (await Resources<V1Deployment>().GetAsync(Key("reports-api"), Ct))!;
        Assert.Equal(deployment.Metadata.Generation, after.Metadata.Generation);
        Assert.False(after.Spec.Template.Metadata.Annotations?.ContainsKey(WellKnown.KeyIdAnnotation) ?? false);
    }

    [Fact]
    public async Task Key_expires_at_its_deadline_without_polling()
    {
        var requests = Sim.Requests;
        var running = await StartOperatorAsync();
        var now = DateTime.UtcNow;
        var expiresAt = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc).AddSeconds(8);
        await CreateApiKeyAsync("shortlived", s => s.ExpiresAt = expiresAt);
        var ready = await WaitForReadyAsync("shortlived");
        Assert.Equal(expiresAt, ready.Status.ExpiresAt);
        var reconcilesBefore = await ReconcilesAsync(running);
        var statusWritesBefore = requests.Count(resource: "apikeys/status", ns: Namespace);

        var expired = await WaitForConditionAsync("shortlived", ConditionTypes.Ready, ConditionStatuses.False, Reasons.Expired);

        Assert.True(DateTime.UtcNow >= expiresAt, "expired before its deadline");
        Assert.Equal(KeyStates.Expired, expired.Status.Keys!.Single().State);

        // Timed by the deadline itself, not discovered later by a periodic look (timestamps have second precision;
        // the margin absorbs a CI machine running other suites at the same time).
        var transition = Conditions.Find(expired.Status.Conditions, ConditionTypes.Ready)!.LastTransitionTime.ToUniversalTime();
        Assert.InRange(transition, expiresAt, expiresAt.AddSeconds(8));
        await WaitForEventAsync("shortlived", Reasons.Expired, "Warning");

        // One write for the transition (a conflict retry may add one): a poller would not write more, but it would
        // not hit the deadline either (checked above), and the planner's requeue-at-deadline is unit-tested. The
        // reconcile count is not bounded tightly here: on a loaded machine the informer's echoes arrive in bursts.
        var statusWrites = requests.Count(resource: "apikeys/status", ns: Namespace) - statusWritesBefore;
        Assert.InRange(statusWrites, 1, 3);
        Assert.True(await ReconcilesAsync(running) - reconcilesBefore >= 1, "the expiry was reconciled");
    }

    private static async Task<double> ReconcilesAsync(RunningOperator running) =>
        PrometheusText.Sum(await MetricsTextAsync(running, Ct), "controller_runtime_reconcile_total", "controller=\"apikey\"");

    private async Task AssertOnlyExpiryChangedAsync(ApiKey apiKey, string keyId, V1Secret before, DateTime expiresAt)
    {
        Assert.Equal(keyId, apiKey.Status.CurrentKeyId);
        var record = Assert.Single(apiKey.Status.Keys!);
        Assert.Equal(KeyStates.Active, record.State);
        Assert.Equal(expiresAt, record.ExpiresAt);
        Assert.True(Conditions.IsTrue(apiKey.Status.Conditions, ConditionTypes.Ready));

        // The Secret catches up in the same reconcile, before status: its expiresAt moved, the credential did not.
        var secret = await Eventually.GetAsync(
            async _ => await SecretAsync("reports-key") is { } s && Text(s, SecretDataKeys.ExpiresAt) == ApiKeySecret.FormatTime(expiresAt) ? s : null,
            Timeout,
            "Secret expiresAt updated",
            Ct);
        Assert.Equal(before.Data[SecretDataKeys.ApiKey], secret.Data[SecretDataKeys.ApiKey]);
        Assert.Equal(before.Data[SecretDataKeys.KeyId], secret.Data[SecretDataKeys.KeyId]);
        Assert.Equal(before.Metadata.Annotations[WellKnown.KeyIdAnnotation], secret.Metadata.Annotations[WellKnown.KeyIdAnnotation]);
    }

    private V1Deployment MountingDeployment(string name, string secretName) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "app", Image = "busybox:1.36", Command = ["sleep", "3600"], VolumeMounts = [new V1VolumeMount { Name = "key", MountPath = "/var/run/apikey" }] }],
                    Volumes = [new V1Volume { Name = "key", Secret = new V1SecretVolumeSource { SecretName = secretName } }],
                },
            },
        },
    };
}
