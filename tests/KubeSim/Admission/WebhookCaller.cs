using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// POSTs an AdmissionReview to a webhook over HTTPS, verifying the server certificate against
/// <c>clientConfig.caBundle</c> (else the system roots) and the expected host name, within timeoutSeconds.
/// Failures are <see cref="WebhookCallException"/>s with kube-apiserver's wording.
/// </summary>
internal sealed class WebhookCaller(KubeSimAdmission admission)
{
    public async Task<JsonObject> CallAsync(string webhook, JsonObject clientConfig, int timeoutSeconds, JsonObject review, CancellationToken ct)
    {
        var (target, shown, host) = Target(webhook, clientConfig, timeoutSeconds);
        var caBundle = CaBundle(webhook, clientConfig);
        string? tlsProblem = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    var trusted = presented is not null && Trusted(presented, caBundle, host, out tlsProblem);
                    return trusted;
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        using var content = new StringContent(review.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        string body;
        try
        {
            using var response = await http.PostAsync(target, content, timeout.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var why = (int)response.StatusCode >= 500
                    ? $"an error on the server (\"{Truncate(body)}\") has prevented the request from succeeding"
                    : "the server rejected our request for an unknown reason";
                throw new WebhookCallException(webhook, $"failed to call webhook: {why}");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new WebhookCallException(webhook, $"failed to call webhook: Post \"{shown}\": context deadline exceeded");
        }
        catch (HttpRequestException ex)
        {
            throw new WebhookCallException(webhook, $"failed to call webhook: Post \"{shown}\": {Describe(ex, target, tlsProblem)}");
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new WebhookCallException(webhook, $"failed to call webhook: couldn't get version/kind; json parse error: {ex.Message}");
        }
    }

    private (Uri Target, string Shown, string Host) Target(string webhook, JsonObject clientConfig, int timeoutSeconds)
    {
        var query = $"timeout={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}s";
        if (clientConfig["url"] is JsonValue url && url.TryGetValue<string>(out var text))
        {
            var uri = new Uri(text);
            var withTimeout = new UriBuilder(uri) { Query = string.IsNullOrEmpty(uri.Query) ? query : uri.Query.TrimStart('?') + "&" + query }.Uri;
            return (withTimeout, withTimeout.ToString(), uri.Host);
        }

        var service = clientConfig["service"] as JsonObject ?? throw new WebhookCallException(webhook, "failed to call webhook: neither url nor service is set");
        var ns = service["namespace"]?.GetValue<string>() ?? "";
        var name = service["name"]?.GetValue<string>() ?? "";
        var port = service["port"] is JsonValue p && p.TryGetValue<int>(out var number) ? number : 443;
        var path = service["path"]?.GetValue<string>() ?? "/";
        var host = $"{name}.{ns}.svc";
        var shown = $"https://{host}:{port.ToString(CultureInfo.InvariantCulture)}{path}?{query}";
        var baseUrl = admission.Resolve(ns, name, port)
            ?? throw new WebhookCallException(webhook, $"failed to call webhook: Post \"{shown}\": service \"{name}\" not found (map it with KubeSimAdmission.MapService or --webhook-service)");
        var target = new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath.TrimEnd('/') + path, Query = query }.Uri;
        return (target, shown, host);
    }

    private static X509Certificate2Collection? CaBundle(string webhook, JsonObject clientConfig)
    {
        if (clientConfig["caBundle"] is not JsonValue value || !value.TryGetValue<string>(out var base64) || base64.Length == 0)
        {
            return null;
        }

        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            return collection;
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new WebhookCallException(webhook, $"failed to call webhook: unable to load root certificates: {ex.Message}");
        }
    }

    private static bool Trusted(X509Certificate2 certificate, X509Certificate2Collection? caBundle, string host, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (caBundle is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(caBundle);
        }

        if (!chain.Build(certificate))
        {
            problem = "tls: failed to verify certificate: x509: certificate signed by unknown authority";
            return false;
        }

        if (!certificate.MatchesHostname(host, allowWildcards: true, allowCommonName: false))
        {
            problem = $"tls: failed to verify certificate: x509: certificate is not valid for {host}";
            return false;
        }

        problem = "";
        return true;
    }

    private static string Describe(HttpRequestException ex, Uri target, string? tlsProblem)
    {
        if (ex.InnerException is SocketException socket)
        {
            var address = $"{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}";
            return socket.SocketErrorCode == SocketError.ConnectionRefused
                ? $"dial tcp {address}: connect: connection refused"
                : $"dial tcp {address}: {socket.Message}";
        }

        if (ex.InnerException is System.Security.Authentication.AuthenticationException auth)
        {
            // The callback refused the certificate and said why in Go's words.
            return tlsProblem ?? $"tls: {auth.Message}";
        }

        return ex.HttpRequestError == HttpRequestError.ResponseEnded ? "EOF" : ex.Message;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];
}
