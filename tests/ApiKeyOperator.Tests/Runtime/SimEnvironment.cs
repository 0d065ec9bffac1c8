using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using k8s;
using KubeSim;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>An in-process KubeSim with a kubeconfig on disk, and helpers to start operator hosts against it.</summary>
internal sealed class SimEnvironment : IAsyncDisposable
{
    private readonly List<OperatorHost> _hosts = [];
    private readonly List<Kubernetes> _clients = [];
    private readonly List<Task> _informers = [];
    private readonly CancellationTokenSource _stopping = new();

    private SimEnvironment(KubeSimServer sim, string kubeconfig)
    {
        Sim = sim;
        Kubeconfig = kubeconfig;
    }

    public KubeSimServer Sim { get; }

    public IKubernetes Client => Sim.Client;

    public string Kubeconfig { get; }

    public static async Task<SimEnvironment> StartAsync(KubeSimOptions? options = null)
    {
        var sim = await KubeSimServer.StartAsync(options ?? new KubeSimOptions { RunControllers = false }, TestContext.Current.CancellationToken);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.yaml");
        sim.WriteKubeconfig(kubeconfig);
        return new SimEnvironment(sim, kubeconfig);
    }

    /// <summary>A transport of its own (like a separate process would have).</summary>
    public ApiTransport NewTransport(TokenBucket? throttle = null)
    {
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        _clients.Add(client);
        return new ApiTransport(client, throttle);
    }

    public Informer<T> NewInformer<T>(InformerOptions? options = null) where T : class, IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        new(new ResourceClient<T>(NewTransport()), options ?? new InformerOptions(), TimeProvider.System, NullLogger<Informer<T>>.Instance);

    /// <summary>Runs an informer until the environment is disposed, so a failing test never leaves a watch open.</summary>
    public void Run(IInformer informer) => _informers.Add(informer.RunAsync(_stopping.Token));

    /// <summary>Starts a host with the real flags: this kubeconfig, servers on free loopback ports, unless <paramref name="flags"/> say otherwise.</summary>
    public async Task<OperatorHost> StartHostAsync(Action<IServiceCollection>? configureServices, params string[] flags)
    {
        var defaults = new Dictionary<string, string>
        {
            ["--kubeconfig"] = Kubeconfig,
            ["--metrics-bind-address"] = "127.0.0.1:0",
            ["--health-probe-bind-address"] = "127.0.0.1:0",
            ["--log-level"] = "warn",
            ["--log-format"] = "text",
        };
        string[] args = ["run", .. defaults.Where(d => !flags.Contains(d.Key)).SelectMany(d => new[] { d.Key, d.Value }), .. flags];
        var host = await OperatorHost.StartAsync(args, configureServices, TestContext.Current.CancellationToken);
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_informers);
        _stopping.Dispose();
        foreach (var host in _hosts)
        {
            await host.KillAsync();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Sim.DisposeAsync();
        File.Delete(Kubeconfig);
    }
}
