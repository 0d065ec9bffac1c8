using System.Net;
using System.Net.Http.Headers;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Raw HTTP to the API server over the official client's authenticated <see cref="HttpClient"/>. The typed
/// clients of KubernetesClient cannot address a custom resource and a core kind the same way, nor carry every
/// watch parameter, so requests are built here. <see cref="Disable"/> is the crash switch: after it, no
/// request leaves the process. An optional token bucket throttles every request (watches included) as client-go's
/// rest client does with its QPS and Burst.
/// </summary>
public sealed class ApiTransport
{
    private const string JsonMediaType = "application/json";
    private readonly Kubernetes _kubernetes;
    private readonly CancellationTokenSource _disabled = new();
    private readonly TokenBucket? _throttle;

    public ApiTransport(Kubernetes kubernetes, TokenBucket? throttle = null)
    {
        _kubernetes = kubernetes;
        _throttle = throttle;
    }

    /// <summary>Makes every current and future request fail with <see cref="OperationCanceledException"/>.</summary>
    public void Disable() => _disabled.Cancel();

    /// <summary>Sends a request and returns the body of a successful answer; throws <see cref="HttpOperationException"/> otherwise.</summary>
    public async Task<string> SendAsync(HttpMethod method, string pathAndQuery, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disabled.Token);
        using var response = await SendCoreAsync(method, pathAndQuery, body, contentType, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
    }

    /// <summary>Opens a streaming answer (watch). The caller disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disabled.Token);
        return await SendCoreAsync(HttpMethod.Get, pathAndQuery, null, null, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
    }

    /// <summary>Token cancelled when the transport is disabled, for long reads outside a request call.</summary>
    public CancellationToken DisabledToken => _disabled.Token;

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, string pathAndQuery, string? body, string? contentType, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_throttle is not null)
        {
            await _throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var uri = new Uri(_kubernetes.BaseUri.ToString().TrimEnd('/') + pathAndQuery);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? JsonMediaType);
        }

        if (_kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await _kubernetes.HttpClient.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw CreateException(request, response, content);
        }
    }

    private static HttpOperationException CreateException(HttpRequestMessage request, HttpResponseMessage response, string content)
    {
        V1Status? status = null;
        try
        {
            status = content.Length > 0 ? KubernetesJson.Deserialize<V1Status>(content) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status document (e.g. a proxy's HTML page): the status code still tells the caller enough.
        }

        var reason = status?.Message ?? response.ReasonPhrase ?? "error";
        return new HttpOperationException(
            $"{request.Method} {request.RequestUri?.AbsolutePath} returned {(int)response.StatusCode} {response.StatusCode}: {reason}")
        {
            // Never the request body: a Secret write carries key material.
            Request = new HttpRequestMessageWrapper(request, null),
            Response = new HttpResponseMessageWrapper(response, content),
            Body = status,
        };
    }
}
