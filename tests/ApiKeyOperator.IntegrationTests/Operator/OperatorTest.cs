using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.IntegrationTests.Operator;

/// <summary>
/// Base of the operator's end-to-end tests: CRDs installed, operators started in-process with real flags and
/// scoped to this test's namespace (so tests run side by side on one cluster), typed access to our kinds,
/// and the log lines of every operator the test started.
/// </summary>
public abstract class OperatorTest(ClusterFixture cluster) : ClusterTest(cluster)
{
    private readonly List<RunningOperator> _operators = [];
    private readonly string _workDir = Directory.CreateTempSubdirectory("apikey-it-").FullName;
    private Kubernetes? _kubernetes;
    private ApiTransport? _transport;

    /// <summary>Everything every operator of this test logged.</summary>
    protected CapturedLogs Logs { get; } = new();

    protected static TimeSpan Timeout => TimeSpan.FromSeconds(60);

    protected string LedgerPath => Path.Combine(_workDir, "ledger.db");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Crds.EnsureInstalledAsync(Client, Ct);
        _kubernetes = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        _transport = new ApiTransport(_kubernetes);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var running in _operators)
        {
            await running.StopAsync();
        }

        await ReleaseFinalizersAsync();
        _kubernetes?.Dispose();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // A ledger file still open by a killed host; the temp directory is cleaned by the OS.
        }
    }

    /// <summary>
    /// Removes the operator's finalizer from every ApiKey left in this namespace. The test's operators have stopped,
    /// so nobody else will: on a real cluster the namespace would otherwise stay Terminating for good.
    /// </summary>
    protected async Task ReleaseFinalizersAsync()
    {
        if (_transport is null)
        {
            return;
        }

        var apiKeys = Resources<ApiKey>();
        IReadOnlyList<ApiKey> left;
        try
        {
            left = (await apiKeys.ListAsync(Namespace, null, CancellationToken.None)).Items;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // The test uninstalled the CRD: no ApiKey is left to hold the namespace.
            return;
        }

        foreach (var apiKey in left.Where(k => Finalizers.Has(k, WellKnown.Finalizer)))
        {
            try
            {
                await Finalizers.RemoveAsync(apiKeys, apiKey, WellKnown.Finalizer, CancellationToken.None);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e) || ApiErrors.IsConflict(e))
            {
                // Gone meanwhile, or changed: a changed one is listed again by the next cleanup pass.
            }
        }
    }

    /// <summary>
    /// The flags a test operator runs with: this namespace only, loopback listeners on free ports, plain HTTP without
    /// caller checks on the review and metrics listeners (tests under Security/ run them as installed: TLS, TokenReview).
    /// </summary>
    protected string[] OperatorArgs(params string[] extra) =>
    [
        "run",
        "--kubeconfig", OperatorKubeconfigPath,
        "--namespace", Namespace,
        "--metrics-bind-address", "127.0.0.1:0",
        "--health-probe-bind-address", "127.0.0.1:0",
        "--review-bind-address", "127.0.0.1:0",
        "--review-auth", "none",
        "--review-insecure-http",
        "--metrics-secure=false",
        "--ledger-path", LedgerPath,
        "--log-level", "debug",
        .. extra,
    ];

    protected async Task<RunningOperator> StartOperatorAsync(string[]? args = null, Action<IServiceCollection>? configure = null)
    {
        var running = await RunningOperator.StartAsync(args ?? OperatorArgs(), Logs, configure, Ct);
        _operators.Add(running);
        return running;
    }

    protected ResourceClient<T> Resources<T>() where T : class, IKubernetesObject<V1ObjectMeta> => new(_transport!);

    protected ObjectKey Key(string name) => new(Namespace, name);

    protected Task<ApiKey> CreateApiKeyAsync(string name, Action<ApiKeySpec>? configure = null)
    {
        var spec = new ApiKeySpec { SecretName = $"{name}-key" };
        configure?.Invoke(spec);
        return Resources<ApiKey>().CreateAsync(new ApiKey { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace }, Spec = spec }, Ct);
    }

    protected Task<ApiKeyRotation> CreateRotationAsync(string name, string apiKeyName, Action<ApiKeyRotationSpec>? configure = null)
    {
        var spec = new ApiKeyRotationSpec { ApiKeyName = apiKeyName };
        configure?.Invoke(spec);
        return Resources<ApiKeyRotation>().CreateAsync(new ApiKeyRotation { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace }, Spec = spec }, Ct);
    }

    /// <summary>Waits until the object exists and satisfies <paramref name="until"/>; returns it.</summary>
    protected Task<T> WaitForAsync<T>(string name, Func<T, bool> until, string what, TimeSpan? timeout = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Eventually.GetAsync(
            async ct => await Resources<T>().GetAsync(Key(name), ct) is { } obj && until(obj) ? obj : null,
            timeout ?? Timeout,
            $"{typeof(T).Name} {Namespace}/{name}: {what}",
            Ct);

    protected Task<ApiKey> WaitForReadyAsync(string apiKeyName) =>
        WaitForAsync<ApiKey>(apiKeyName, k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.Ready) && k.Status?.CurrentKeyId is not null, "Ready with a key");

    protected async Task<IReadOnlyList<Corev1Event>> EventsAsync() =>
        (await Resources<Corev1Event>().ListAsync(Namespace, null, Ct)).Items;
}
