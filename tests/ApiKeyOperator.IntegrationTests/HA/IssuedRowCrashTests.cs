using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.HA;

/// <summary>
/// The issue's "two of 105 rotations killed during Issuing have no Issued row": the operator dies right after the
/// ApiKey status write that records a new key and before anything else it does in that reconcile (its audit row
/// included). The next operator on the same ledger must leave exactly one Issued row for every key ever issued.
/// </summary>
public sealed class IssuedRowCrashTests(ClusterFixture cluster) : HaTest(cluster)
{
    [Fact]
    public async Task An_operator_killed_right_after_the_status_write_that_issues_the_first_key_leaves_its_Issued_row_to_the_next()
    {
        var hold = new HoldAfterKeyRecorded();
        var first = await StartOperatorAsync(configure: hold.Install);
        await CreateApiKeyAsync("first-key");
        await Eventually.WaitAsync(_ => Task.FromResult(hold.Held > 0), Timeout, "the status write that records the key", Ct);
        await first.KillAsync();

        var second = await StartOperatorAsync();
        var ready = await WaitForReadyAsync("first-key");

        await AssertOneIssuedRowPerKeyAsync(second, ready);
    }

    [Fact]
    public async Task An_operator_killed_right_after_the_status_write_that_issues_a_rotated_key_leaves_its_Issued_row_to_the_next()
    {
        var hold = new HoldAfterKeyRecorded { Armed = false };
        var first = await StartOperatorAsync(configure: hold.Install);
        await CreateApiKeyAsync("rotated");
        var before = await WaitForReadyAsync("rotated");
        hold.Armed = true;
        await CreateRotationAsync("rotated-1", "rotated", s => s.GracePeriod = "0s");
        await Eventually.WaitAsync(_ => Task.FromResult(hold.Held > 0), Timeout, "the status write that records the new key", Ct);
        await first.KillAsync();

        var second = await StartOperatorAsync();
        var after = await WaitForAsync<ApiKey>(
            "rotated", k => k.Status?.CurrentKeyId is { } id && id != before.Status!.CurrentKeyId, "the rotated key is current");

        Assert.Equal(2, after.Status!.Keys!.Count);
        await AssertOneIssuedRowPerKeyAsync(second, after);
    }

    private async Task AssertOneIssuedRowPerKeyAsync(RunningOperator replica, ApiKey apiKey)
    {
        var keyIds = apiKey.Status!.Keys!.Select(k => k.Id).ToList();
        var rows = await Eventually.GetAsync(
            async _ => await AuditAsync(replica) is var trail && keyIds.All(id => trail.Any(r => r.Kind == AuditEventKinds.Issued && r.KeyId == id)) ? trail : null,
            Timeout,
            $"an Issued row for each of {string.Join(", ", keyIds)}",
            Ct);
        foreach (string id in keyIds)
        {
            Assert.Equal(1, rows.Count(r => r.Kind == AuditEventKinds.Issued && r.KeyId == id));
        }
    }

    /// <summary>
    /// Lets an ApiKey status write that adds a key reach the server, then never returns (until the operator is
    /// killed): the process is gone at the instant after the write, as a SIGKILL there would leave it.
    /// </summary>
    private sealed class HoldAfterKeyRecorded
    {
        private volatile bool _armed = true;
        private int _held;

        public bool Armed
        {
            get => _armed;
            set => _armed = value;
        }

        public int Held => Volatile.Read(ref _held);

        public void Install(IServiceCollection services) =>
            services.AddSingleton<IStatusWriter>(sp => new Writer(new StatusWriter(sp.GetRequiredService<ApiTransport>(), sp.GetRequiredService<ILogger<StatusWriter>>()), this));

        private sealed class Writer(IStatusWriter inner, HoldAfterKeyRecorded hold) : IStatusWriter
        {
            public async Task<T?> UpdateAsync<T>(T current, Func<T, bool> mutate, CancellationToken cancellationToken)
                where T : class, IKubernetesObject<V1ObjectMeta>
            {
                int keysBefore = (current as ApiKey)?.Status?.Keys?.Count ?? 0;
                var written = await inner.UpdateAsync(current, mutate, cancellationToken);
                if (hold.Armed && written is ApiKey { Status.Keys: { } keys } && keys.Count > keysBefore)
                {
                    Interlocked.Increment(ref hold._held);
                    await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
                }

                return written;
            }
        }
    }
}
