using System.Globalization;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// An in-process KubeSim with the project's CRDs installed, a kubeconfig and a scratch directory, and operator
/// hosts started against it with real flags (all namespaces, review endpoint off, ledger in the scratch directory).
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Kubernetes _kubernetes;

    private BenchCluster(KubeSimServer sim, string workDir)
    {
        Sim = sim;
        WorkDir = workDir;
        KubeconfigPath = Path.Combine(workDir, "kubeconfig");
        sim.WriteKubeconfig(KubeconfigPath);
        _kubernetes = new Kubernetes(sim.ClientConfiguration);
        Transport = new ApiTransport(_kubernetes);
    }

    public KubeSimServer Sim { get; }

    public string WorkDir { get; }

    public string KubeconfigPath { get; }

    public ApiTransport Transport { get; }

    public static async Task<BenchCluster> StartAsync(KubeSimOptions options, CancellationToken cancellationToken)
    {
        var sim = await KubeSimServer.StartAsync(options, cancellationToken);
        var cluster = new BenchCluster(sim, Directory.CreateTempSubdirectory("apikey-bench-").FullName);
        await cluster.InstallCrdsAsync(cancellationToken);
        return cluster;
    }

    public ResourceClient<T> Resources<T>() where T : class, IKubernetesObject<V1ObjectMeta> => new(Transport);

    /// <summary>The flags of a benchmarked operator; <paramref name="extra"/> comes last.</summary>
    public string[] OperatorArgs(params string[] extra) =>
    [
        "run",
        "--kubeconfig", KubeconfigPath,
        "--metrics-bind-address", "127.0.0.1:0",
        "--metrics-secure=false",
        "--health-probe-bind-address", "127.0.0.1:0",
        "--review-bind-address", "0",
        "--ledger-path", Path.Combine(WorkDir, "ledger.db"),
        "--log-level", "warn",
        .. extra,
    ];

    public Task<OperatorHost> StartOperatorAsync(string[] args, CancellationToken cancellationToken) =>
        OperatorHost.StartAsync(args, OperatorModules.All, null, cancellationToken);

    /// <summary>Sum of the samples of <paramref name="metric"/> whose labels contain <paramref name="label"/> on the host's /metrics.</summary>
    public static async Task<double> MetricAsync(OperatorHost host, string metric, string? label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var text = await Http.GetStringAsync(new Uri(host.MetricsUrl!, "metrics"), cancellationToken);
        return text.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Waits until <paramref name="host"/> finished at least <paramref name="reconciles"/> reconciles of
    /// <paramref name="controller"/> and every queue is empty with no worker busy.
    /// </summary>
    public static async Task WaitForIdleAsync(OperatorHost host, string controller, int reconciles, CancellationToken cancellationToken)
    {
        while (!(await MetricAsync(host, "controller_runtime_reconcile_total", $"controller=\"{controller}\"", cancellationToken) >= reconciles
                 && await MetricAsync(host, "workqueue_depth", null, cancellationToken) == 0
                 && await MetricAsync(host, "controller_runtime_active_workers", null, cancellationToken) == 0))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Sim.DisposeAsync();
        _kubernetes.Dispose();
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleanup.
        }
    }

    private async Task InstallCrdsAsync(CancellationToken cancellationToken)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot(), "config", "crds"), "apikeyoperator.io_*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file, cancellationToken));
            await Sim.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
            while (!await IsEstablishedAsync(crd.Metadata.Name, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    private async Task<bool> IsEstablishedAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var crd = await Sim.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken);
            return crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        }
        catch (HttpOperationException)
        {
            return false;
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApiKeyOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ApiKeyOperator.sln not found above " + AppContext.BaseDirectory);
    }
}
