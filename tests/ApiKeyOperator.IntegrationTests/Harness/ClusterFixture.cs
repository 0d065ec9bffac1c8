using k8s;
using KubeSim;
using Xunit;

[assembly: AssemblyFixture(typeof(ApiKeyOperator.IntegrationTests.Harness.ClusterFixture))]

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>
/// The cluster for the whole test assembly, chosen by APIKEY_TEST_BACKEND (sim by default). A backend that cannot
/// run here (k3s without Docker, kubeconfig without KUBECONFIG) leaves <see cref="Unavailable"/> set, and every
/// <see cref="ClusterTest"/> then reports skipped with that reason — never passed.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private readonly Dictionary<string, string> kubeconfigs = [];
    private IClusterBackend? backend;

    /// <summary>The backend this fixture starts.</summary>
    public virtual TestBackendKind Kind => FromEnvironment();

    /// <summary>Why the backend is not available here, or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The running backend (throws when <see cref="Unavailable"/>).</summary>
    public IClusterBackend Backend => backend ?? throw new InvalidOperationException(Unavailable ?? "cluster not started");

    public IKubernetes Client => Backend.Client;

    public string KubeconfigPath => Backend.KubeconfigPath;

    /// <summary>A kubeconfig acting as the operator's ServiceAccount on KubeSim (its requests are logged as that user); the admin's elsewhere.</summary>
    public string OperatorKubeconfigPath => KubeconfigFor(OperatorIdentities.Operator);

    /// <summary>A kubeconfig for <paramref name="user"/> on KubeSim (the bearer token names the user); the admin's on other backends.</summary>
    public string KubeconfigFor(string user)
    {
        if (Backend.Sim is not { } sim)
        {
            return KubeconfigPath;
        }

        lock (kubeconfigs)
        {
            if (!kubeconfigs.TryGetValue(user, out var path))
            {
                path = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.kubeconfig");
                sim.WriteKubeconfig(path, user);
                kubeconfigs[user] = path;
            }

            return path;
        }
    }

    /// <summary>True when tests may inject faults and read the request log (the sim backend).</summary>
    public bool SupportsFaultInjection => Backend.Sim is not null;

    /// <summary>Options for the sim backend.</summary>
    protected virtual KubeSimOptions SimOptions => new();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        switch (Kind)
        {
            case TestBackendKind.Sim:
                backend = await SimClusterBackend.StartAsync(SimOptions, ct);
                break;
            case TestBackendKind.K3s:
                (backend, Unavailable) = await K3sClusterBackend.TryStartAsync(ct);
                break;
            default:
                (backend, Unavailable) = KubeconfigClusterBackend.TryConnect();
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (backend?.Sim is { } sim)
        {
            SuiteRequestLog.Write(sim.Requests.Snapshot());
        }

        if (backend is not null)
        {
            await backend.DisposeAsync();
        }

        foreach (var path in kubeconfigs.Values)
        {
            File.Delete(path);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Reads APIKEY_TEST_BACKEND: sim (default), k3s or kubeconfig.</summary>
    public static TestBackendKind FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("APIKEY_TEST_BACKEND");
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sim" => TestBackendKind.Sim,
            "k3s" => TestBackendKind.K3s,
            "kubeconfig" => TestBackendKind.Kubeconfig,
            _ => throw new InvalidOperationException($"APIKEY_TEST_BACKEND must be sim, k3s or kubeconfig, not '{value}'"),
        };
    }
}
