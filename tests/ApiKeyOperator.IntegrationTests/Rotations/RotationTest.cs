using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Rollouts;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>Rotation tests: an ApiKey with dependents, a watch-based history of the namespace, and waits on rotations and workloads.</summary>
public abstract class RotationTest(ClusterFixture cluster) : OperatorTest(cluster)
{
    private readonly List<RotationHistory> _histories = [];

    protected const string ApiKeyName = "svc";

    protected const string SecretName = "svc-key";

    public override async ValueTask DisposeAsync()
    {
        foreach (var history in _histories)
        {
            await history.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Starts watching pods, Secrets, ApiKeys and rotations of this namespace; stopped with the test.</summary>
    protected RotationHistory StartHistory()
    {
        var history = RotationHistory.Start(Namespace, Resources<V1Pod>(), Resources<V1Secret>(), Resources<ApiKey>(), Resources<ApiKeyRotation>());
        _histories.Add(history);
        return history;
    }

    /// <summary>Waits until the history holds everything the server did up to now.</summary>
    protected async Task CatchUpAsync(RotationHistory history)
    {
        var now = await Resources<V1Pod>().ListAsync(Namespace, null, Ct);
        await history.CatchUpAsync(RotationHistory.Rv(now.ResourceVersion), Ct);
    }

    protected Task<ApiKey> ApiKeyWithKeyAsync(Action<ApiKeySpec>? configure = null) =>
        CreateApiKeyAsync(ApiKeyName, s =>
        {
            s.SecretName = SecretName;
            s.Rotation = new ApiKeyRotationPolicy { GracePeriod = "2s" };
            configure?.Invoke(s);
        }).ContinueWith(_ => WaitForReadyAsync(ApiKeyName), Ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();

    protected Task<V1Deployment> DeploymentAsync(string name, SecretUse use, int replicas = 2, string image = RotationWorkloads.Image, int? progressDeadlineSeconds = null) =>
        Resources<V1Deployment>().CreateAsync(RotationWorkloads.Deployment(Namespace, name, SecretName, use, replicas, image, progressDeadlineSeconds), Ct);

    protected Task<V1StatefulSet> StatefulSetAsync(string name, SecretUse use, int replicas = 2) =>
        Resources<V1StatefulSet>().CreateAsync(RotationWorkloads.StatefulSet(Namespace, name, SecretName, use, replicas), Ct);

    protected Task<V1DaemonSet> DaemonSetAsync(string name, SecretUse use) =>
        Resources<V1DaemonSet>().CreateAsync(RotationWorkloads.DaemonSet(Namespace, name, SecretName, use), Ct);

    protected Task WaitForDeploymentReadyAsync(string name) =>
        WaitForAsync<V1Deployment>(name, d => RolloutReadiness.Evaluate(d).IsReady, "rolled out");

    protected Task WaitForStatefulSetReadyAsync(string name) =>
        WaitForAsync<V1StatefulSet>(name, s => RolloutReadiness.Evaluate(s).IsReady, "rolled out");

    protected Task WaitForDaemonSetReadyAsync(string name) =>
        WaitForAsync<V1DaemonSet>(name, d => RolloutReadiness.Evaluate(d).IsReady, "rolled out");

    protected Task<ApiKeyRotation> WaitForPhaseAsync(string rotation, string phase) =>
        WaitForAsync<ApiKeyRotation>(rotation, r => r.Status?.Phase == phase, $"phase {phase}");

    /// <summary>The record of one key in the ApiKey's status.</summary>
    protected static KeyRecord KeyOf(ApiKey apiKey, string keyId) =>
        apiKey.Status?.Keys?.FirstOrDefault(k => k.Id == keyId) ?? throw new InvalidOperationException($"key {keyId} is not in the status of ApiKey {apiKey.Metadata.Name}");

    protected async Task<IReadOnlyList<V1Pod>> PodsOfAsync(string app) =>
        (await Resources<V1Pod>().ListAsync(Namespace, $"app={app}", Ct)).Items;

    protected static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>
    /// What every completed rotation must show, whatever happened on the way: each dependent's pod template was
    /// patched successfully exactly once, the old key was revoked only after the rollout finished (in server
    /// order), and no Ready pod ever ran a key that was not valid.
    /// </summary>
    protected void AssertRolledOnceAndRevokedAfterRollout(RotationHistory history, ApiKeyRotation done, IEnumerable<(string Resource, string Name)> dependents)
    {
        foreach (var (resource, name) in dependents)
        {
            var patches = Sim.Requests.Snapshot().Count(r => r.Verb == "patch" && r.Resource == resource && r.Namespace == Namespace && r.Name == name && r.StatusCode == 200);
            Assert.True(patches == 1, $"{resource}/{name} was patched {patches} times");
        }

        var revocation = history.Revocation(done.Status.OldKeyId!)!;
        var rolledOut = history.First((e, s) => e.Object is ApiKeyRotation { Status.RolledOutAt: not null });
        Assert.True(rolledOut!.ResourceVersion < revocation.ResourceVersion);
        Assert.Empty(history.CredentialViolations(SecretName));
    }
}
