namespace ApiKeyOperator.Tests.Runtime;

/// <summary>
/// Calls <paramref name="crash"/> once, right after the server answered the first request matching
/// <paramref name="match"/> and before the caller sees the answer: a crash at an exact point of a reconcile.
/// </summary>
internal sealed class CrashAfterHandler(Func<HttpRequestMessage, bool> match, Action crash) : DelegatingHandler
{
    private int _crashed;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode && match(request) && Interlocked.Exchange(ref _crashed, 1) == 0)
        {
            crash();
        }

        return response;
    }
}
