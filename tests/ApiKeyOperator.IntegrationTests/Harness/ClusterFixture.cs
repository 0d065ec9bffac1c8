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
    private IClusterBackend? backend;

    /// <summary>The backend this fixture starts.</summary>
    public virtual TestBackendKind Kind => FromEnvironment();

    /// <summary>Why the backend is not available here, or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The running backend (throws when <see cref="Unavailable"/>).</summary>
    public IClusterBackend Backend => backend ?? throw new InvalidOperationException(Unavailable ?? "cluster not started");

    public IKubernetes Client => Backend.Client;

    public string KubeconfigPath => Backend.KubeconfigPath;

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
        if (backend is not null)
        {
            await backend.DisposeAsync();
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
