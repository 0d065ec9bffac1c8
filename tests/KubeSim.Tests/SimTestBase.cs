using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeSim;
using Xunit;

namespace KubeSim.Tests;

/// <summary>Starts a fresh KubeSim per test and offers the helpers the HTTP-level tests share.</summary>
public abstract class SimTestBase : IAsyncLifetime
{
    private KubeSimServer? sim;

    protected KubeSimServer Sim => sim ?? throw new InvalidOperationException("not started");

    protected IKubernetes Client => Sim.Client;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Options for this test class's server.</summary>
    protected virtual KubeSimOptions Options => new() { RunControllers = false };

    public virtual async ValueTask InitializeAsync() => sim = await KubeSimServer.StartAsync(Options, Ct);

    public virtual async ValueTask DisposeAsync()
    {
        if (sim is not null)
        {
            await sim.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task<string> NewNamespaceAsync(string name = "test")
    {
        var ns = await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: Ct);
        return ns.Metadata.Name;
    }

    /// <summary>Runs a call that must fail and returns the HTTP code and the Status the server sent.</summary>
    protected static async Task<(int Code, V1Status Status)> FailureOf(Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = KubernetesJson.Deserialize<V1Status>(ex.Response.Content);
        return ((int)ex.Response.StatusCode, status);
    }

    protected static V1Secret Secret(string name, IDictionary<string, string>? labels = null, IDictionary<string, string>? data = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        StringData = data ?? new Dictionary<string, string> { ["k"] = "v" },
    };
}
