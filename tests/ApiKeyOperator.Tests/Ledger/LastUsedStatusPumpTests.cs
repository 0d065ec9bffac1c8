using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LastUsedStatusPumpTests : LedgerTestBase
{
    [Fact]
    public async Task ThousandVerifications_LedgerCountsAll_StatusWrittenAtMostOncePerApiKeyPerMinute_LatestWins()
    {
        SqliteAuditLedger ledger = Fixture.Open();
        var batcher = new LastUsedBatcher(Fixture.Time);
        var recorder = new UsageRecorder(ledger, batcher);
        var sink = new RecordingStatusSink(Fixture.Time);
        using var pump = new LastUsedStatusPump(batcher, sink, NullLogger<LastUsedStatusPump>.Instance);
        await pump.StartAsync(Ct);
        string[] apiKeys = ["a", "b", "c", "d"];
        var latest = new Dictionary<string, DateTime>();

        for (int i = 0; i < 1000; i++)
        {
            Fixture.Time.Advance(TimeSpan.FromMilliseconds(180));
            DateTime now = Fixture.Time.GetUtcNow().UtcDateTime;
            string keyId = "0000000" + (i / 4 % 2);
            Assert.True(await recorder.RecordAsync("payments", apiKeys[i % 4], keyId, now, Ct));
            latest[$"{apiKeys[i % 4]}/{keyId}"] = now;
        }

        // The pump runs on its own thread and may register its timer a little after the clock moved, so
        // keep the fake clock moving in small steps until every latest time has been written.
        await Eventually.WaitAsync(
            () => apiKeys.All(apiKey => LastWritten(sink, apiKey).Count == 2
                && LastWritten(sink, apiKey).All(pair => latest[$"{apiKey}/{pair.Key}"] == pair.Value)),
            () => Fixture.Time.Advance(TimeSpan.FromSeconds(1)));
        await pump.StopAsync(Ct);

        double minutes = (Fixture.Time.GetUtcNow() - LedgerFixture.Start).TotalMinutes;
        foreach (var perApiKey in sink.Writes.GroupBy(w => w.Write.ApiKey))
        {
            DateTimeOffset[] at = [.. perApiKey.Select(w => w.At)];
            // The sink stamps a write when the pump thread reaches it, which can be after the test thread moved the
            // fake clock on (by at most one step: 180 ms in the loop, 1 s after it); the interval itself is 60 s.
            Assert.All(at.Zip(at.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(59), $"{pair.First:O} -> {pair.Second:O}"));
            // At least one write carrying the latest times (checked above); one alone happens when the pump thread
            // first runs after the loop has already moved the clock through all 1,000 observations.
            Assert.InRange(at.Length, 1, (int)minutes + 1);
        }

        IReadOnlyList<KeyUsage> usage = await ledger.GetUsageSinceAsync(LedgerFixture.Start.UtcDateTime, Ct);
        Assert.Equal(1000, usage.Sum(u => u.Count));
        Assert.All(usage, u => Assert.Equal(latest[$"{u.ApiKey}/{u.KeyId}"], u.LastUsedAt));
    }

    [Fact]
    public async Task FailedWrite_IsRetriedAfterTheInterval()
    {
        var batcher = new LastUsedBatcher(Fixture.Time);
        var sink = new RecordingStatusSink(Fixture.Time, failFirst: 1);
        using var pump = new LastUsedStatusPump(batcher, sink, NullLogger<LastUsedStatusPump>.Instance);
        await pump.StartAsync(Ct);

        batcher.Observe("payments", "a", "00000001", LedgerFixture.Start.UtcDateTime);
        await Eventually.WaitAsync(() => batcher.NextDueAt() == LedgerFixture.Start + LastUsedBatcher.DefaultInterval);
        Assert.Empty(sink.Writes);
        await Eventually.WaitAsync(() => !sink.Writes.IsEmpty, () => Fixture.Time.Advance(TimeSpan.FromSeconds(1)));
        await pump.StopAsync(Ct);

        var (at, write) = Assert.Single(sink.Writes);
        Assert.True(at >= LedgerFixture.Start + LastUsedBatcher.DefaultInterval, $"retried at {at:O}, within the interval");
        Assert.Equal(LedgerFixture.Start.UtcDateTime, write.LastUsedAt["00000001"]);
    }

    private static Dictionary<string, DateTime> LastWritten(RecordingStatusSink sink, string apiKey)
    {
        var merged = new Dictionary<string, DateTime>();
        foreach (var (_, write) in sink.Writes.Where(w => w.Write.ApiKey == apiKey))
        {
            foreach (var (keyId, usedAt) in write.LastUsedAt)
            {
                merged[keyId] = merged.TryGetValue(keyId, out DateTime seen) && seen > usedAt ? seen : usedAt;
            }
        }

        return merged;
    }
}
