using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class WorkQueueTests : IDisposable
{
    private static readonly ObjectKey A = new("ns", "a");
    private static readonly ObjectKey B = new("ns", "b");
    private readonly FakeTimeProvider _time = new();
    private readonly WorkQueue _queue;

    public WorkQueueTests()
    {
        _queue = new WorkQueue("test", _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task Add_of_a_queued_key_is_deduplicated()
    {
        _queue.Add(A);
        _queue.Add(B);
        _queue.Add(A);

        Assert.Equal(2, _queue.Count);
        Assert.Equal(A, await _queue.GetAsync(Ct));
        Assert.Equal(B, await _queue.GetAsync(Ct));
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task Key_added_while_processing_is_handed_out_again_only_after_Done()
    {
        _queue.Add(A);
        Assert.Equal(A, await _queue.GetAsync(Ct));

        _queue.Add(A);
        _queue.Add(A);
        var second = _queue.GetAsync(Ct);

        Assert.Equal(0, _queue.Count);
        Assert.False(second.IsCompleted);

        _queue.Done(A);

        Assert.Equal(A, await second.WaitAsync(Poll.Deadline, Ct));
        _queue.Done(A);
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task Two_getters_never_receive_the_same_key_at_once()
    {
        _queue.Add(A);
        var first = await _queue.GetAsync(Ct);
        _queue.Add(A);
        _queue.Add(B);

        var second = await _queue.GetAsync(Ct).WaitAsync(Poll.Deadline, Ct);
        var third = _queue.GetAsync(Ct);

        Assert.Equal(A, first);
        Assert.Equal(B, second);
        Assert.False(third.IsCompleted);
        _queue.Done(A);
        Assert.Equal(A, await third.WaitAsync(Poll.Deadline, Ct));
    }

    [Fact]
    public void Backoff_doubles_from_5ms_and_is_capped_at_1000s()
    {
        var backoff = new ItemExponentialBackoff<ObjectKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        var delays = Enumerable.Range(0, 25).Select(_ => backoff.When(A)).ToList();

        Assert.Equal(
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560],
            delays.Take(10).Select(d => d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(5 * Math.Pow(2, 17)), delays[17]);
        Assert.All(delays.Skip(18), d => Assert.Equal(TimeSpan.FromSeconds(1000), d));
        Assert.Equal(TimeSpan.FromMilliseconds(5), backoff.When(B));
    }

    [Fact]
    public async Task AddRateLimited_waits_the_backoff_on_the_time_provider()
    {
        _queue.AddRateLimited(A);
        _time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, _queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(A, await _queue.GetAsync(Ct).WaitAsync(Poll.Deadline, Ct));
        _queue.Done(A);

        _queue.AddRateLimited(A);
        _time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(0, _queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _queue.Count);
        Assert.Equal(2, _queue.NumRequeues(A));
    }

    [Fact]
    public void Forget_resets_the_backoff()
    {
        _queue.AddRateLimited(A);
        _queue.AddRateLimited(A);
        _queue.AddRateLimited(A);
        Assert.Equal(3, _queue.NumRequeues(A));

        _queue.Forget(A);
        Assert.Equal(0, _queue.NumRequeues(A));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _queue.Count);
        var fresh = new WorkQueue("fresh", _time);
        fresh.AddRateLimited(B);
        fresh.Forget(B);
        fresh.AddRateLimited(B);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, fresh.Count);
        fresh.Dispose();
    }

    [Fact]
    public async Task AddAfter_fires_at_the_fake_time_and_not_before()
    {
        _queue.AddAfter(A, TimeSpan.FromSeconds(10));
        var getter = _queue.GetAsync(Ct);

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(getter.IsCompleted);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(A, await getter.WaitAsync(Poll.Deadline, Ct));
    }

    [Fact]
    public void AddAfter_keeps_the_earliest_schedule_of_a_key()
    {
        _queue.AddAfter(A, TimeSpan.FromSeconds(30));
        _queue.AddAfter(A, TimeSpan.FromSeconds(5));
        _queue.AddAfter(A, TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, _queue.Count);
        Assert.True(_queue.GetAsync(Ct).IsCompletedSuccessfully);
        _queue.Done(A);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task ShutDown_hands_out_nothing_more_while_a_key_is_in_flight()
    {
        _queue.Add(A);
        _queue.Add(B);
        Assert.Equal(A, await _queue.GetAsync(Ct));

        _queue.ShutDown();

        Assert.Null(await _queue.GetAsync(Ct));
        _queue.Add(A);
        _queue.AddAfter(B, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, _queue.Count);

        _queue.Done(A);

        Assert.Equal(0, _queue.Count);
        Assert.Null(await _queue.GetAsync(Ct));
    }

    [Fact]
    public async Task ShutDown_releases_waiting_getters_with_null()
    {
        var getter = _queue.GetAsync(Ct);

        _queue.ShutDown();

        Assert.Null(await getter.WaitAsync(Poll.Deadline, Ct));
    }

    [Fact]
    public async Task A_cancelled_getter_does_not_swallow_a_key()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelled = _queue.GetAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        _queue.Add(A);

        Assert.Equal(A, await _queue.GetAsync(Ct).WaitAsync(Poll.Deadline, Ct));
    }
}
