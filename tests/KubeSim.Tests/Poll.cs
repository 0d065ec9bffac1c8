namespace KubeSim.Tests;

/// <summary>Waits for a condition with a deadline instead of sleeping and hoping.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met in time; last value: {value}");
            }

            await Task.Delay(20, ct);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, CancellationToken ct = default) =>
        UntilAsync(() => Task.FromResult(condition()), static ok => ok, timeout, ct);
}
