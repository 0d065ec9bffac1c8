namespace ApiKeyOperator.Benchmarks;

/// <summary>One wrk run: requests/s, requests, answers that were not 2xx/3xx, whether sockets failed, p50 and p99 (ms).</summary>
public sealed record WrkResult(double RequestsPerSecond, long Requests, long NonSuccess, bool SocketErrors, double P50Ms, double P99Ms, string Output)
{
    /// <summary>Throws unless every request was answered 2xx/3xx: a rate of refusals measures nothing.</summary>
    public WrkResult EnsureAllSucceeded(string what) =>
        NonSuccess == 0 && !SocketErrors ? this : throw new InvalidOperationException($"{what}: {NonSuccess} of {Requests} requests were not 2xx/3xx (socket errors: {SocketErrors})\n{Output}");
}
