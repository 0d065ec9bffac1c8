using System.Collections.Concurrent;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>A client-side handler that remembers every request its client sends, before it leaves the process.</summary>
public sealed class RequestRecorder : DelegatingHandler
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public IReadOnlyList<SentRequest> Sent => [.. _sent];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var watch = uri.AbsolutePath.Contains("/watch/", StringComparison.Ordinal)
            || uri.Query.TrimStart('?').Split('&').Any(p => p is "watch=true" or "watch=1");
        _sent.Enqueue(new SentRequest(request.Method.Method, Uri.UnescapeDataString(uri.AbsolutePath), watch));
        return base.SendAsync(request, cancellationToken);
    }
}
