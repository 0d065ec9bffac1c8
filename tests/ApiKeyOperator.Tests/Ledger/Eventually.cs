using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>Waits on a condition with a real-time deadline, optionally moving a fake clock between checks.</summary>
internal static class Eventually
{
    public static Task WaitAsync(Func<bool> condition, Action? step = null) =>
        WaitAsync(() => Task.FromResult(condition()), step);

    public static async Task WaitAsync(Func<Task<bool>> condition, Action? step = null)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            step?.Invoke();
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
