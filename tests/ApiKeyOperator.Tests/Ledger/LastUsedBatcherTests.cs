using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LastUsedBatcherTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ThousandObservations_AtMostOneWritePerApiKeyPerMinute_LatestTimeWins()
    {
        var batcher = new LastUsedBatcher(time);
        var random = new Random(20261123);
        string[] apiKeys = ["a", "b", "c", "d", "e"];
        string[] keyIds = ["00000001", "00000002", "00000003"];
        var latestObserved = new Dictionary<(string, string), DateTime>();
        var writes = new List<(DateTimeOffset At, LastUsedWrite Write)>();

        for (int i = 0; i < 1000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 600)));
            string apiKey = apiKeys[random.Next(apiKeys.Length)];
            string keyId = keyIds[random.Next(keyIds.Length)];
            // Verifications report their own time and may arrive out of order.
            DateTime usedAt = time.GetUtcNow().UtcDateTime.AddMilliseconds(-random.Next(0, 5000));
            batcher.Observe("payments", apiKey, keyId, usedAt);
            latestObserved[(apiKey, keyId)] = latestObserved.TryGetValue((apiKey, keyId), out DateTime seen) && seen > usedAt ? seen : usedAt;
            writes.AddRange(batcher.TakeDue().Select(w => (time.GetUtcNow(), w)));
        }

        time.Advance(LastUsedBatcher.DefaultInterval);
        writes.AddRange(batcher.TakeDue().Select(w => (time.GetUtcNow(), w)));

        TimeSpan span = time.GetUtcNow() - Start;
        foreach (var perApiKey in writes.GroupBy(w => w.Write.ApiKey))
        {
            DateTimeOffset[] at = [.. perApiKey.Select(w => w.At)];
            for (int i = 1; i < at.Length; i++)
            {
                Assert.True(at[i] - at[i - 1] >= TimeSpan.FromSeconds(60), $"ApiKey {perApiKey.Key} written twice within a minute");
            }

            Assert.True(at.Length <= (span / TimeSpan.FromSeconds(60)) + 1);
        }

        // Replaying the writes in order as a status writer would (keeping the later time) ends at the latest observation.
        var status = new Dictionary<(string, string), DateTime>();
        foreach (var (_, write) in writes)
        {
            foreach (var (keyId, usedAt) in write.LastUsedAt)
            {
                Assert.True(latestObserved[(write.ApiKey, keyId)] >= usedAt);
                status[(write.ApiKey, keyId)] = status.TryGetValue((write.ApiKey, keyId), out DateTime s) && s > usedAt ? s : usedAt;
            }
        }

        Assert.Equal(latestObserved.OrderBy(p => p.Key), status.OrderBy(p => p.Key));
        Assert.Equal(0, batcher.PendingApiKeys);
        Assert.True(writes.Count < 100, $"{writes.Count} writes for 1000 observations");
    }

    [Fact]
    public void OlderObservation_NeverReplacesNewer()
    {
        var batcher = new LastUsedBatcher(time);
        DateTime newer = Start.UtcDateTime.AddSeconds(30);

        batcher.Observe("payments", "a", "00000001", newer);
        batcher.Observe("payments", "a", "00000001", newer.AddSeconds(-20));

        LastUsedWrite write = Assert.Single(batcher.TakeDue());
        Assert.Equal(newer, write.LastUsedAt["00000001"]);
    }

    [Fact]
    public void FirstUse_IsDueAtOnce_NextOnlyAfterTheInterval()
    {
        var batcher = new LastUsedBatcher(time);

        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime);
        Assert.Single(batcher.TakeDue());

        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime.AddSeconds(1));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(batcher.TakeDue());
        Assert.Equal(Start + TimeSpan.FromSeconds(60), batcher.NextDueAt());

        time.Advance(TimeSpan.FromSeconds(1));
        LastUsedWrite second = Assert.Single(batcher.TakeDue());
        Assert.Equal(Start.UtcDateTime.AddSeconds(1), second.LastUsedAt["00000001"]);
        Assert.Null(batcher.NextDueAt());
    }

    [Fact]
    public void ApiKeysAreIndependent_AndNamespacesDistinguishThem()
    {
        var batcher = new LastUsedBatcher(time);

        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime);
        batcher.Observe("search", "a", "00000001", Start.UtcDateTime);
        batcher.Observe("payments", "b", "00000002", Start.UtcDateTime);

        Assert.Equal(3, batcher.TakeDue().Count);
    }

    [Fact]
    public void Requeue_MergesAndRetriesAfterTheInterval()
    {
        var batcher = new LastUsedBatcher(time);
        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime);
        LastUsedWrite failed = Assert.Single(batcher.TakeDue());

        batcher.Observe("payments", "a", "00000002", Start.UtcDateTime.AddSeconds(2));
        batcher.Requeue(failed);
        Assert.Empty(batcher.TakeDue());

        time.Advance(TimeSpan.FromSeconds(60));
        LastUsedWrite retried = Assert.Single(batcher.TakeDue());
        Assert.Equal(2, retried.LastUsedAt.Count);
        Assert.Equal(Start.UtcDateTime, retried.LastUsedAt["00000001"]);
    }

    [Fact]
    public async Task WaitUntilDue_WakesOnFirstObservation_AndOnTheIntervalTimer()
    {
        var batcher = new LastUsedBatcher(time);

        Task idle = batcher.WaitUntilDueAsync(Ct);
        Assert.False(idle.IsCompleted);
        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime);
        await idle.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Single(batcher.TakeDue());

        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime.AddSeconds(5));
        Task waiting = batcher.WaitUntilDueAsync(Ct);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Single(batcher.TakeDue());
    }

    [Fact]
    public async Task WaitUntilDue_IsCancellable()
    {
        var batcher = new LastUsedBatcher(time);
        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime);
        Assert.Single(batcher.TakeDue());
        batcher.Observe("payments", "a", "00000001", Start.UtcDateTime);
        using var cancellation = new CancellationTokenSource();

        Task waiting = batcher.WaitUntilDueAsync(cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }
}
