using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_burst_of_failing_objects_is_spaced_at_10_per_second_after_the_first_100()
    {
        using var queue = new WorkQueue("flood", _time);
        var keys = Enumerable.Range(0, 1000).Select(i => new ObjectKey("ns", $"k{i}")).ToList();

        foreach (var key in keys)
        {
            queue.AddRateLimited(key);
        }

        // Each key failed once, so its own backoff is 5 ms; the shared bucket lets only its burst through then.
        Assert.Equal(0, queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(100, queue.Count);

        // From then on the bucket refills at 10 per second: every second of a 10-second window adds at most 10.
        for (var second = 1; second <= 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.InRange(queue.Count, 100 + (10 * second) - 1, 100 + (10 * second));
        }

        // Nothing is lost: all of them are retried in the end, 90 s after the burst.
        _time.Advance(TimeSpan.FromSeconds(80));
        Assert.Equal(1000, queue.Count);
    }

    [Fact]
    public void A_flood_of_retries_of_one_failing_object_is_bounded_by_its_own_backoff()
    {
        var limiter = DefaultControllerRateLimiter.Create<ObjectKey>(_time);
        var key = new ObjectKey("ns", "a");

        var delays = Enumerable.Range(0, 12).Select(_ => limiter.When(key)).ToList();

        // The bucket still has tokens, so the per-item backoff decides: 5 ms doubling.
        Assert.Equal(
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240],
            delays.Select(d => d.TotalMilliseconds));
        Assert.Equal(12, limiter.NumRequeues(key));
        limiter.Forget(key);
        Assert.Equal(0, limiter.NumRequeues(key));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When(key));
    }

    [Fact]
    public void The_longer_of_backoff_and_bucket_wins()
    {
        var backoff = new ItemExponentialBackoff<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        var limiter = new MaxOfRateLimiter<string>(backoff, new BucketRateLimiter<string>(new TokenBucket(10, 2, _time)));

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));

        // The bucket is empty: the third distinct item waits its 100 ms token, longer than its 5 ms backoff.
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When("c"));

        // With a refilled bucket, an item's long backoff is not shortened.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
    }

    [Fact]
    public void Token_bucket_refills_at_qps_and_holds_at_most_burst()
    {
        var bucket = new TokenBucket(qps: 2, burst: 3, _time);

        Assert.All(Enumerable.Range(0, 3).Select(_ => bucket.Reserve()), d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(TimeSpan.FromMilliseconds(500), bucket.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(1000), bucket.Reserve());

        // An hour idle fills the bucket to its burst, not to 7,200 tokens.
        _time.Advance(TimeSpan.FromHours(1));
        Assert.All(Enumerable.Range(0, 3).Select(_ => bucket.Reserve()), d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(TimeSpan.FromMilliseconds(500), bucket.Reserve());
    }

    [Fact]
    public async Task Token_bucket_wait_completes_on_the_fake_clock_and_not_before()
    {
        var bucket = new TokenBucket(qps: 10, burst: 1, _time);
        await bucket.WaitAsync(Ct);

        var waiting = bucket.WaitAsync(Ct);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(Poll.Deadline, Ct);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1, 0)]
    public void Token_bucket_refuses_a_limit_that_lets_nothing_through(double qps, int burst) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(qps, burst, _time));
}
