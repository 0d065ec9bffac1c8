using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Tests.Controllers;
using ApiKeyOperator.Usage;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Usage;

/// <summary>
/// The usage flusher driven step by step: the test says what time it is and when a flush happens, so no
/// background thread races the clock and every bound is asserted exactly.
/// </summary>
public sealed class UsageFlusherTests
{
    private static readonly DateTime Start = new(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Interval = UsageOptions.DefaultInterval;
    private static readonly ObjectKey Key = new("payments", "billing");

    private readonly FakeResource<ApiKey> _apiKeys = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public UsageFlusherTests() =>
        _apiKeys.Seed(new ApiKey
        {
            Metadata = new V1ObjectMeta { Name = "billing", NamespaceProperty = "payments" },
            Spec = new ApiKeySpec { SecretName = "billing-key" },
            Status = new ApiKeyStatus
            {
                CurrentKeyId = "0000aaaa",
                Keys = [new KeyRecord { Id = "0000aaaa", State = KeyStates.Active }, new KeyRecord { Id = "0000bbbb", State = KeyStates.Retiring }],
            },
        });

    private int Patches => _apiKeys.Requests.Count(r => r.StartsWith("PATCHSTATUS", StringComparison.Ordinal));

    [Fact]
    public async Task A_first_use_is_written_at_once_by_merge_patch_of_usage_alone()
    {
        var (aggregator, flusher) = Replica();
        aggregator.Record("payments", "billing", "0000aaaa", Start.AddMilliseconds(1500));

        Assert.Equal(1, await flusher.FlushAsync(Start.AddSeconds(2), Ct));

        var patch = JsonNode.Parse(_apiKeys.Requests.Single(r => r.StartsWith("PATCHSTATUS", StringComparison.Ordinal)).Split(' ', 3)[2])!;
        Assert.Equal(["lastUsedAt", "usage"], patch["status"]!.AsObject().Select(p => p.Key).Order());
        var status = _apiKeys.Stored(Key)!.Status;
        Assert.Equal(Start.AddSeconds(1), status.Usage!["0000aaaa"].LastUsedAt);
        Assert.Equal(Start.AddSeconds(1), status.LastUsedAt);
        // Nothing the reconciler owns was touched.
        Assert.Equal(["0000aaaa", "0000bbbb"], status.Keys!.Select(k => k.Id));
        Assert.Null(status.Keys![0].LastUsedAt);
        Assert.Equal(0, aggregator.PendingCount);
    }

    [Fact]
    public async Task Steady_traffic_costs_one_write_per_key_per_interval_and_last_used_trails_by_less_than_one()
    {
        var (aggregator, flusher) = Replica();
        var lastUse = Start;
        var now = Start;
        // Ten minutes of uses every 250 ms, flushed at every tick as the service would.
        for (var step = 0; step < 10 * 60 * 4; step++)
        {
            now = Start.AddMilliseconds(250 * step);
            lastUse = now;
            aggregator.Record("payments", "billing", "0000aaaa", now);
            if (step % 40 == 0)
            {
                await flusher.FlushAsync(now, Ct);
            }

            var shown = _apiKeys.Stored(Key)!.Status.Usage?["0000aaaa"].LastUsedAt;
            Assert.True(shown is not null && lastUse - shown < Interval + new UsageOptions().Tick, $"at {now:O} status shows {shown:O}");
        }

        Assert.InRange(Patches, 10, 11);

        // Traffic stops: the last use is written once it has waited an interval, and nothing after that.
        await flusher.FlushAsync(now + Interval, Ct);
        await flusher.FlushAsync(now + (Interval * 3), Ct);
        Assert.Equal(new DateTime(lastUse.Ticks - (lastUse.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc), _apiKeys.Stored(Key)!.Status.Usage!["0000aaaa"].LastUsedAt);
        Assert.InRange(Patches, 11, 12);
        Assert.Equal(0, aggregator.PendingCount);
    }

    [Fact]
    public async Task Writes_are_an_interval_of_wall_time_apart_even_when_uses_cross_whole_seconds()
    {
        // The flake this pins: lastUsedAt is kept in whole seconds, so comparing use times let a write at x.95 s
        // (showing x) be followed by one at x+1.0 s (showing x+1), 50 ms later. Spacing is measured in wall time.
        var interval = TimeSpan.FromSeconds(1);
        var options = new UsageOptions { Interval = interval };
        var aggregator = new UsageAggregator();
        var flusher = new UsageFlusher(aggregator, _apiKeys, _apiKeys, options, NullLogger<UsageFlusher>.Instance);
        var writes = new List<DateTime>();
        var first = Start.AddMilliseconds(900);
        var now = first;
        // 3.5 intervals of a use every 50 ms, flushed after every use: more often than the service ever flushes.
        for (; now < first + (interval * 3.5); now += TimeSpan.FromMilliseconds(50))
        {
            aggregator.Record("payments", "billing", "0000aaaa", now);
            if (await flusher.FlushAsync(now, Ct) > 0)
            {
                writes.Add(now);
            }
        }

        var lastUse = now - TimeSpan.FromMilliseconds(50);
        // Traffic stopped: the flush loop keeps ticking until the last use is shown.
        for (; _apiKeys.Stored(Key)!.Status.Usage!["0000aaaa"].LastUsedAt < WholeSeconds(lastUse); now += options.Tick)
        {
            Assert.True(now - lastUse <= interval + options.Tick, $"the last use at {lastUse:O} was still not shown at {now:O}");
            if (await flusher.FlushAsync(now, Ct) > 0)
            {
                writes.Add(now);
            }
        }

        Assert.Equal(first, writes[0]);
        Assert.All(writes.Zip(writes.Skip(1)), w => Assert.True(w.Second - w.First >= interval, $"writes at {w.First:O} and {w.Second:O}"));
        Assert.InRange(writes.Count, 4, 1 + (int)((writes[^1] - first) / interval));
        Assert.Equal(writes.Count, Patches);
    }

    [Fact]
    public async Task A_write_by_another_replica_restarts_the_interval_for_this_one()
    {
        var a = Replica();
        var b = Replica();
        a.Aggregator.Record("payments", "billing", "0000aaaa", Start);
        Assert.Equal(1, await a.Flusher.FlushAsync(Start, Ct));
        b.Aggregator.Record("payments", "billing", "0000aaaa", Start.AddSeconds(5));
        Assert.Equal(0, await b.Flusher.FlushAsync(Start.AddSeconds(5), Ct)); // B sees A's value here

        a.Aggregator.Record("payments", "billing", "0000aaaa", Start.AddSeconds(61));
        Assert.Equal(1, await a.Flusher.FlushAsync(Start.AddSeconds(61), Ct));

        // B waited since it saw A's first write, but A wrote again since: B waits a full interval from that.
        b.Aggregator.Record("payments", "billing", "0000aaaa", Start.AddSeconds(64));
        Assert.Equal(0, await b.Flusher.FlushAsync(Start.AddSeconds(65), Ct));
        Assert.Equal(0, await b.Flusher.FlushAsync(Start.AddSeconds(65 + 59), Ct));
        Assert.Equal(1, await b.Flusher.FlushAsync(Start.AddSeconds(65 + 60), Ct));
        Assert.Equal(Start.AddSeconds(64), _apiKeys.Stored(Key)!.Status.Usage!["0000aaaa"].LastUsedAt);
        Assert.Equal(3, Patches);
    }

    [Fact]
    public async Task Replicas_serving_the_same_key_write_at_most_once_per_interval_between_them()
    {
        var replicas = Enumerable.Range(0, 3).Select(_ => Replica()).ToList();
        var random = new Random(7);
        for (var second = 0; second < 600; second++)
        {
            var now = Start.AddSeconds(second);
            // Each use lands on one replica; each replica flushes on its own phase of the tick.
            replicas[random.Next(replicas.Count)].Aggregator.Record("payments", "billing", "0000aaaa", now);
            for (var r = 0; r < replicas.Count; r++)
            {
                if ((second + (r * 3)) % 10 == 0)
                {
                    await replicas[r].Flusher.FlushAsync(now, Ct);
                }
            }
        }

        // 600 s of traffic at a 60 s interval: the first use, then one per interval, whichever replica wrote it.
        Assert.InRange(Patches, 10, 11);
    }

    [Fact]
    public async Task A_failed_write_is_retried_after_an_interval_not_at_every_tick()
    {
        var client = new FailingPatches(_apiKeys) { Failures = 1 };
        var aggregator = new UsageAggregator();
        var flusher = new UsageFlusher(aggregator, _apiKeys, client, new UsageOptions(), NullLogger<UsageFlusher>.Instance);
        aggregator.Record("payments", "billing", "0000aaaa", Start);

        Assert.Equal(0, await flusher.FlushAsync(Start, Ct));
        Assert.Equal(0, await flusher.FlushAsync(Start + (Interval / 2), Ct));
        Assert.Equal(1, await flusher.FlushAsync(Start + Interval, Ct));

        Assert.Equal(2, client.Attempts);
        Assert.Equal(Start, _apiKeys.Stored(Key)!.Status.Usage!["0000aaaa"].LastUsedAt);
    }

    [Fact]
    public async Task Uses_of_unknown_keys_are_dropped_and_entries_of_keys_gone_from_history_are_removed()
    {
        var status = _apiKeys.Stored(Key)!;
        status.Status.Usage = new Dictionary<string, KeyUsageStatus> { ["0000dead"] = new() { LastUsedAt = Start.AddDays(-30) } };
        await _apiKeys.ReplaceStatusAsync(status, Ct);
        var (aggregator, flusher) = Replica();
        aggregator.Record("payments", "billing", "0000cccc", Start);
        aggregator.Record("payments", "other", "0000aaaa", Start);
        aggregator.Record("payments", "billing", "0000bbbb", Start);

        Assert.Equal(1, await flusher.FlushAsync(Start, Ct));

        Assert.Equal(["0000bbbb"], _apiKeys.Stored(Key)!.Status.Usage!.Keys);
        Assert.Equal(0, aggregator.PendingCount);
    }

    private static DateTime WholeSeconds(DateTime at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private (UsageAggregator Aggregator, UsageFlusher Flusher) Replica()
    {
        var aggregator = new UsageAggregator();
        return (aggregator, new UsageFlusher(aggregator, _apiKeys, _apiKeys, new UsageOptions(), NullLogger<UsageFlusher>.Instance));
    }

    /// <summary>Status patches that fail the first <see cref="Failures"/> times with a 500.</summary>
    private sealed class FailingPatches(FakeResource<ApiKey> inner) : IResourceClient<ApiKey>
    {
        public int Failures { get; set; }

        public int Attempts { get; private set; }

        public Task<ApiKey> PatchStatusAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken)
        {
            Attempts++;
            return Failures-- > 0 ? throw FakeResource<ApiKey>.Error(System.Net.HttpStatusCode.InternalServerError) : inner.PatchStatusAsync(key, mergePatchJson, cancellationToken);
        }

        public Task<ApiKey?> GetAsync(ObjectKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public Task<ApiKey> CreateAsync(ApiKey obj, CancellationToken cancellationToken) => inner.CreateAsync(obj, cancellationToken);

        public Task<ApiKey> ReplaceAsync(ApiKey obj, CancellationToken cancellationToken) => inner.ReplaceAsync(obj, cancellationToken);

        public Task<ApiKey> PatchAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken) => inner.PatchAsync(key, mergePatchJson, cancellationToken);

        public Task<ApiKey> ReplaceStatusAsync(ApiKey obj, CancellationToken cancellationToken) => inner.ReplaceStatusAsync(obj, cancellationToken);

        public Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
    }
}
