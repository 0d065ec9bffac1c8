using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Verification;
using k8s.Models;
using KubeSim;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// What the provider benchmarks share: KubeSim with one Ready ApiKey in namespace <c>bench</c>, an operator serving
/// the review listener on loopback (plain HTTP, <c>--review-auth none</c>), and minimal Kestrel servers for floors.
/// </summary>
public sealed class ProviderBench : IAsyncDisposable
{
    public const string Namespace = "bench";

    private readonly List<IAsyncDisposable> _owned = [];

    private ProviderBench(BenchCluster cluster, OperatorHost host, V1Secret secret, string[] operatorArgs)
    {
        Cluster = cluster;
        Host = host;
        Secret = secret;
        OperatorArgs = operatorArgs;
    }

    public BenchCluster Cluster { get; }

    public OperatorHost Host { get; }

    public V1Secret Secret { get; }

    public string[] OperatorArgs { get; }

    public Uri ReviewUrl => ((VerificationService)Host.Services.GetService(typeof(VerificationService))!).Server!.Addresses[0];

    public string Data(string key) => Encoding.UTF8.GetString(Secret.Data[key]);

    public static async Task<ProviderBench> StartAsync(string format, CancellationToken cancellationToken)
    {
        var cluster = await BenchCluster.StartAsync(new KubeSimOptions { RunControllers = false }, cancellationToken);
        await cluster.Resources<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken);
        await cluster.Resources<ApiKey>().CreateAsync(new ApiKey
        {
            Metadata = new V1ObjectMeta { Name = "client", NamespaceProperty = Namespace },
            Spec = new ApiKeySpec { SecretName = "client-key", Format = format, Scopes = ["recordings:read"] },
        }, cancellationToken);
        using var ready = new ReadyTracker(cluster.Sim, 1);
        var args = cluster.OperatorArgs("--review-auth", "none", "--review-insecure-http", "--token-issuer", "https://apikey-operator-review.bench.svc:8443", "--token-signing-namespace", Namespace, "--token-signing-refresh-interval", "200ms");
        args[Array.IndexOf(args, "--review-bind-address") + 1] = "127.0.0.1:0";
        var host = await cluster.StartOperatorAsync(args, cancellationToken);
        await ready.AllReady.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var secret = await cluster.Resources<V1Secret>().GetAsync(new Runtime.ObjectKey(Namespace, "client-key"), cancellationToken)
            ?? throw new InvalidOperationException("the ApiKey's Secret is missing");
        return new ProviderBench(cluster, host, secret, args);
    }

    /// <summary>A minimal Kestrel server on loopback answering every request with <paramref name="handler"/>.</summary>
    public async Task<Uri> StartFloorAsync(RequestDelegate handler, CancellationToken cancellationToken)
    {
        var (app, url) = await KestrelFloor.StartAsync(handler, cancellationToken);
        _owned.Add(app);
        return url;
    }

    public void Own(IAsyncDisposable resource) => _owned.Add(resource);

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in Enumerable.Reverse(_owned))
        {
            await resource.DisposeAsync();
        }

        await Host.StopAsync();
        await Host.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
