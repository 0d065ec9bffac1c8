using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

public sealed class ScheduledRotationTests(ClusterFixture cluster) : RotationTest(cluster)
{
    [Fact]
    public async Task Every_creates_owned_rotations_and_history_limit_bounds_the_finished_ones()
    {
        await StartOperatorAsync();
        // The shortest schedule the operator accepts is every 1m with a 1m validity; a 55s rollout allowance makes
        // each key due 5s after issuance (never later than its expiry less the time a rollout may take).
        var apiKey = await ApiKeyWithKeyAsync(s =>
        {
            s.Validity = "1m";
            s.Rotation = new ApiKeyRotationPolicy { Every = "1m", GracePeriod = "0s", HistoryLimit = 1 };
            s.Rollout = new RolloutSpec { Timeout = "55s" };
        });
        Assert.NotNull(apiKey.Status.NextRotationAt);
        var history = StartHistory();

        // Two scheduled rotations ran to the end, and only the newest finished one is kept.
        await Eventually.WaitAsync(
            async ct =>
            {
                var succeeded = history.Events.Select(e => e.Object).OfType<ApiKeyRotation>()
                    .Where(r => r.Status?.Phase == RotationPhases.Succeeded).Select(r => r.Metadata.Name).Distinct().Count();
                var kept = (await Resources<ApiKeyRotation>().ListAsync(Namespace, null, ct)).Items.Count(r => RotationPhases.IsFinished(r.Status?.Phase));
                return succeeded >= 2 && kept == 1;
            },
            Timeout,
            "two scheduled rotations succeeded and one finished rotation kept",
            Ct);

        var current = await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct);
        var seen = history.Events.Select(e => e.Object).OfType<ApiKeyRotation>().GroupBy(r => r.Metadata.Name).Select(g => g.Last()).ToList();
        Assert.All(seen, r =>
        {
            Assert.Equal(ApiKeyName, r.Metadata.Labels[WellKnown.ApiKeyLabel]);
            var owner = Assert.Single(r.Metadata.OwnerReferences);
            Assert.Equal(current!.Metadata.Uid, owner.Uid);
            Assert.True(owner.Controller);
        });
        Assert.Contains(history.Events, e => e.Type == k8s.WatchEventType.Deleted && e.Object is ApiKeyRotation { Status.Phase: RotationPhases.Succeeded });
        Assert.Equal(KeyStates.Active, KeyOf(current!, current!.Status.CurrentKeyId!).State);
    }
}
