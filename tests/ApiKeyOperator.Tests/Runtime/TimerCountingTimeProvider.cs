using Microsoft.Extensions.Time.Testing;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>A fake clock that also counts the timers created on it, so a test knows a delay is armed before advancing.</summary>
internal sealed class TimerCountingTimeProvider : FakeTimeProvider
{
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Counted once registered: a test that sees the count may advance the clock past the timer.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timers);
        return timer;
    }
}
