using System.Diagnostics;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Usage;
using ApiKeyOperator.Verification;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Verification;

public sealed class LastUsedTests(ClusterFixture cluster) : VerificationTest(cluster)
{
    [Fact]
    public async Task Last_used_appears_in_status_within_the_bound_after_a_verification()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("billing");
        await WaitForReadyAsync("billing");
        var key = await ReadKeyAsync("billing-key");
        var before = WholeSeconds(DateTime.UtcNow);

        Assert.Equal(ReviewReason.Valid, (await Reviews(running).ReviewAsync(key, Ct)).Reason);
        var clock = Stopwatch.StartNew();
        var apiKey = await WaitForAsync<ApiKey>(
            "billing", k => k.Status?.LastUsedAt is not null && k.Status.Usage?.Count == 1, "lastUsedAt in status", UsageOptions.DefaultInterval);
        var shownAfter = clock.Elapsed;
        var after = DateTime.UtcNow;

        var lastUsed = apiKey.Status.Usage![apiKey.Status.CurrentKeyId!].LastUsedAt!.Value.ToUniversalTime();
        Assert.InRange(lastUsed, before, after);
        Assert.Equal(lastUsed, apiKey.Status.LastUsedAt!.Value.ToUniversalTime());
        TestContext.Current.TestOutputHelper?.WriteLine($"verification -> lastUsedAt in status: {shownAfter.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_thousand_verifications_of_one_key_cost_at_most_one_status_write_per_minute()
    {
        var sim = Sim;
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("busy");
        await WaitForReadyAsync("busy");
        var key = await ReadKeyAsync("busy-key");
        var reviews = Reviews(running);
        // Ready, and no verification yet: from here on every apikeys/status write in this namespace is a usage write.
        int StatusWrites() => sim.Requests.Snapshot().Count(r =>
            r.Namespace == Namespace && r.Resource == "apikeys" && r.Subresource == "status" && r.Verb is "update" or "patch");
        var baseline = StatusWrites();

        var clock = Stopwatch.StartNew();
        var verdicts = await LoadAsync(reviews, key, total: 1000, workers: 8);
        var apiKey = await WaitForAsync<ApiKey>("busy", k => k.Status?.LastUsedAt is not null, "lastUsedAt in status", UsageOptions.DefaultInterval);
        var window = clock.Elapsed;
        var writes = StatusWrites() - baseline;

        Assert.Equal(1000, verdicts.Count(r => r == ReviewReason.Valid));
        // The first use is written at once, then at most once per interval.
        var allowed = 1 + (int)(window / UsageOptions.DefaultInterval);
        Assert.InRange(writes, 1, allowed);
        Assert.NotNull(apiKey.Status.Usage![apiKey.Status.CurrentKeyId!].LastUsedAt);
        TestContext.Current.TestOutputHelper?.WriteLine($"1000 verifications + first lastUsedAt in {window.TotalMilliseconds:0} ms: {writes} apikeys/status write(s), {allowed} allowed");
    }

    [Fact]
    public async Task Under_steady_traffic_status_writes_follow_the_batch_interval_and_last_used_catches_up()
    {
        var sim = Sim;
        // The real interval is a minute; one second shows the same rule several times within a short test.
        var interval = TimeSpan.FromSeconds(1);
        var running = await StartOperatorAsync(configure: services =>
            services.AddSingleton(new UsageOptions { Interval = interval }));
        await CreateApiKeyAsync("steady");
        await WaitForReadyAsync("steady");
        var key = await ReadKeyAsync("steady-key");
        var reviews = Reviews(running);
        int StatusWrites() => sim.Requests.Snapshot().Count(r =>
            r.Namespace == Namespace && r.Resource == "apikeys" && r.Subresource == "status" && r.Verb is "update" or "patch");
        var baseline = StatusWrites();

        var clock = Stopwatch.StartNew();
        var verifications = 0;
        var lastVerified = DateTime.MinValue;
        while (clock.Elapsed < TimeSpan.FromSeconds(3.5))
        {
            lastVerified = WholeSeconds(DateTime.UtcNow);
            Assert.Equal(ReviewReason.Valid, (await reviews.ReviewAsync(key, Ct)).Reason);
            verifications++;
        }

        await WaitForAsync<ApiKey>("steady", k => k.Status?.LastUsedAt?.ToUniversalTime() >= lastVerified, "lastUsedAt at the last verification", Timeout);
        var window = clock.Elapsed;
        var writes = StatusWrites() - baseline;

        // Once at first use, then at most once per interval; steady traffic over 3.5 intervals is written 3 times or more.
        Assert.InRange(writes, 3, 1 + (int)(window / interval));
        TestContext.Current.TestOutputHelper?.WriteLine($"{verifications} verifications over {window.TotalSeconds:F1} s with a {interval.TotalSeconds:0} s interval: {writes} status writes");
    }

    private static async Task<ReviewReason[]> LoadAsync(ReviewClient reviews, string key, int total, int workers)
    {
        var verdicts = new ReviewReason[total];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                verdicts[i] = (await reviews.ReviewAsync(key, Ct)).Reason;
            }
        }));
        return verdicts;
    }

    private static DateTime WholeSeconds(DateTime at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
