using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>Waits for a condition with a deadline (real time): the tests' only way to wait.</summary>
internal static class Poll
{
    /// <summary>
    /// How long a test waits for something that should happen: generous, since it only matters when the condition
    /// never holds and the machine may be busy.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        await UntilAsync(() => Task.FromResult(condition()), timeout, what);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? Deadline;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition not met within {limit}: {what ?? "(unnamed)"}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }
}
