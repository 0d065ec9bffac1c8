namespace ApiKeyOperator.IntegrationTests.Operator;

/// <summary>Waiting on a condition with a deadline — never a bare sleep.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> at the deadline.</summary>
    public static async Task WaitAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        await GetAsync<object>(async ct => await condition(ct) ? new object() : null, timeout, what, cancellationToken);
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value, and returns it.</summary>
    public static async Task<T> GetAsync<T>(Func<CancellationToken, Task<T?>> probe, TimeSpan timeout, string what, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? lastError = null;
        while (true)
        {
            try
            {
                if (await probe(deadline.Token) is { } value)
                {
                    return value;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lastError = e.Message;
            }

            try
            {
                await Task.Delay(Interval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}{(lastError is null ? "" : $" (last error: {lastError})")}");
    }
}
