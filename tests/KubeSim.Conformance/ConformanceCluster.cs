using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using KubeSim.Tests.Admission;
using Xunit;

namespace KubeSim.Conformance;

/// <summary>
/// The cluster under test: a KubeSim started for the run, or the cluster of KUBESIM_CONFORMANCE_KUBECONFIG. Cases
/// speak plain HTTP through it, each in a namespace of its own that it deletes afterwards.
/// </summary>
public sealed class ConformanceCluster : IAsyncLifetime
{
    public const string KubeconfigVariable = "KUBESIM_CONFORMANCE_KUBECONFIG";

    /// <summary>
    /// The base URL a real cluster's API server calls the cases' admission webhooks at (an address it reaches this
    /// machine at, e.g. https://192.168.49.1:9443/). Without it, webhook cases run only against KubeSim.
    /// </summary>
    public const string WebhookUrlVariable = "KUBESIM_CONFORMANCE_WEBHOOK_URL";

    /// <summary>Where the webhook server listens (address:port); default: every interface, on the URL's port.</summary>
    public const string WebhookListenVariable = "KUBESIM_CONFORMANCE_WEBHOOK_LISTEN";

    private readonly SemaphoreSlim webhookStart = new(1, 1);
    private KubeSimServer? sim;
    private HttpClient? http;
    private TestWebhookServer? webhooks;

    /// <summary>True when the cases run against KubeSim (its knobs may be used).</summary>
    public bool IsKubeSim => sim is not null;

    public KubeSimServer Sim => sim ?? throw new InvalidOperationException("not running against KubeSim");

    public HttpClient Http => http ?? throw new InvalidOperationException("not started");

    public string KubeconfigPath { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var kubeconfig = Environment.GetEnvironmentVariable(KubeconfigVariable);
        KubernetesClientConfiguration config;
        if (string.IsNullOrEmpty(kubeconfig))
        {
            sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(50), BookmarkInterval = TimeSpan.FromMilliseconds(200) });
            KubeconfigPath = Path.Combine(Path.GetTempPath(), "kubesim-conformance-" + Guid.NewGuid().ToString("N") + ".kubeconfig");
            sim.WriteKubeconfig(KubeconfigPath);
            config = sim.ClientConfiguration;
        }
        else
        {
            KubeconfigPath = kubeconfig;
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }

        // Plain HTTP with the kubeconfig's CA, client certificate and bearer token (inline client certificates; exec credential plugins are not run).
        http = new HttpClient(Handler(config)) { BaseAddress = new Uri(config.Host.TrimEnd('/') + "/") };
        if (!string.IsNullOrEmpty(config.AccessToken))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        http?.Dispose();
        if (webhooks is not null)
        {
            await webhooks.DisposeAsync();
        }

        webhookStart.Dispose();
        if (sim is not null)
        {
            await sim.DisposeAsync();
            File.Delete(KubeconfigPath);
        }
    }

    public Task<Response> SendAsync(HttpMethod method, string path, string? body = null, string? contentType = null, CancellationToken ct = default) =>
        SendAsync(method, path, body, contentType, headers: null, ct);

    /// <summary>Sends a request with extra headers (Impersonate-User, Authorization…), which replace the defaults.</summary>
    public async Task<Response> SendAsync(HttpMethod method, string path, string? body, string? contentType, IReadOnlyDictionary<string, string[]>? headers, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        foreach (var (name, values) in headers ?? new Dictionary<string, string[]>())
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, values);
        }

        using var response = await Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var warnings = response.Headers.TryGetValues("Warning", out var sent) ? sent.ToList() : [];
        return new Response((int)response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? []) { Warnings = warnings };
    }

    /// <summary>
    /// The HTTPS server the cases' admission webhooks point at (one for the run; each case uses paths of its own):
    /// on 127.0.0.1 for KubeSim, on <see cref="WebhookUrlVariable"/> for a real cluster. Skips the case when the
    /// cluster is a real one and no such URL is given, because its API server could not call back.
    /// </summary>
    public async Task<TestWebhookServer> WebhooksAsync(CancellationToken ct)
    {
        var publicUrl = Environment.GetEnvironmentVariable(WebhookUrlVariable);
        if (!IsKubeSim && string.IsNullOrEmpty(publicUrl))
        {
            Assert.Skip($"needs a cluster that can call back to the test host: set {WebhookUrlVariable}=https://ADDRESS:PORT/ (an address this cluster's API server reaches this machine at)");
        }

        await webhookStart.WaitAsync(ct);
        try
        {
            if (webhooks is null)
            {
                if (IsKubeSim)
                {
                    webhooks = await TestWebhookServer.StartAsync(ct);
                }
                else
                {
                    var url = new Uri(publicUrl!.TrimEnd('/') + "/");
                    var listen = Environment.GetEnvironmentVariable(WebhookListenVariable) is { Length: > 0 } endpoint
                        ? IPEndPoint.Parse(endpoint)
                        : new IPEndPoint(IPAddress.Any, url.Port);
                    webhooks = await TestWebhookServer.StartAsync(listen, url, ct);
                }
            }

            return webhooks;
        }
        finally
        {
            webhookStart.Release();
        }
    }

    private static HttpClientHandler Handler(KubernetesClientConfiguration config)
    {
        var handler = new HttpClientHandler();
        if (config.SkipTlsVerify)
        {
            handler.ServerCertificateCustomValidationCallback = static (_, _, _, _) => true;
        }
        else if (config.SslCaCerts is { Count: > 0 } authorities)
        {
            handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, errors) =>
            {
                if (certificate is null || chain is null)
                {
                    return false;
                }

                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        }

        if (!string.IsNullOrEmpty(config.ClientCertificateData) && !string.IsNullOrEmpty(config.ClientCertificateKeyData))
        {
            handler.ClientCertificates.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
                System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateData)),
                System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateKeyData))));
        }

        return handler;
    }

    /// <summary>Skips a case that needs KubeSim's test knobs when the cluster is a real one.</summary>
    public void RequireKubeSim(string why)
    {
        if (!IsKubeSim)
        {
            Assert.Skip($"KubeSim-only: {why}");
        }
    }

    /// <summary>What a request answered; Warnings are the Warning headers (<c>299 - "text"</c>).</summary>
    public sealed record Response(int Code, JsonObject Body)
    {
        public IReadOnlyList<string> Warnings { get; init; } = [];
    }
}
