using k8s;
using k8s.Models;
using KubeSim;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>
/// Base class for integration tests: each test gets its own namespace (created before, deleted after) on the
/// fixture's cluster. Skips the test, with the reason, when the backend cannot run here.
/// </summary>
public abstract class ClusterTest(ClusterFixture cluster) : IAsyncLifetime
{
    /// <summary>This test's namespace.</summary>
    public string Namespace { get; } = $"it-{Guid.NewGuid():N}"[..11];

    public IKubernetes Client => cluster.Client;

    public string KubeconfigPath => cluster.KubeconfigPath;

    /// <summary>What a test operator connects with: the operator's ServiceAccount identity on KubeSim.</summary>
    public string OperatorKubeconfigPath => cluster.OperatorKubeconfigPath;

    /// <summary>A kubeconfig acting as <paramref name="user"/> (KubeSim; the admin's on other backends).</summary>
    public string KubeconfigFor(string user) => cluster.KubeconfigFor(user);

    public bool SupportsFaultInjection => cluster.SupportsFaultInjection;

    public TestBackendKind BackendKind => cluster.Backend.Kind;

    /// <summary>The in-process KubeSim (faults, request log) on the sim backend; skips the test elsewhere.</summary>
    public KubeSimServer Sim => cluster.Backend.Sim ?? throw SkipException($"needs fault injection, which the {cluster.Kind} backend does not offer");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        if (cluster.Unavailable is { } reason)
        {
            Assert.Skip(reason);
        }

        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = Namespace, Labels = new Dictionary<string, string> { ["apikeyoperator.io/test"] = "true" } },
        }, cancellationToken: Ct);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (cluster.Unavailable is null)
        {
            // A real cluster finishes namespace deletion in the background.
            try
            {
                await cluster.Client.CoreV1.DeleteNamespaceAsync(Namespace, cancellationToken: CancellationToken.None);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // The test deleted it already.
            }
        }

        GC.SuppressFinalize(this);
    }

    // Assert.Skip always throws; the returned exception only gives the `?? throw` above a type.
    private static Exception SkipException(string reason)
    {
        Assert.Skip(reason);
        return new InvalidOperationException(reason);
    }
}
