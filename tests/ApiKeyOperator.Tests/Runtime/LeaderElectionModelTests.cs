using CsCheck;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>
/// Random interleavings of replicas, slow and failing API requests, writes that land after the client gave up,
/// and crashes, run through <see cref="LeaderElectionModel"/>: two replicas never lead at once, and once the API
/// behaves again exactly one leads.
/// </summary>
public sealed class LeaderElectionModelTests
{
    // Mostly quick requests, some slower than the renew deadline; about a third fail; one attempt in forty is a crash.
    private static readonly Gen<LeaderElectionFate> Fate = Gen.Select(
        Gen.OneOf(Gen.Int[1, 300], Gen.Int[1, 14_000]),
        Gen.Int[0, 9],
        Gen.OneOf(Gen.Int[1, 300], Gen.Int[1, 14_000]),
        Gen.Int[0, 9],
        Gen.Double[0, 1],
        Gen.Int[0, 39],
        (read, readFails, write, writeFails, jitter, crash) => new LeaderElectionFate(read, readFails < 3, write, writeFails < 3, jitter, crash == 0));

    private static readonly Gen<(int Replicas, LeaderElectionFate[] Fates)> Scenario = Gen.Select(Gen.Int[2, 3], Fate.Array[0, 300]);

    [Fact]
    public void Two_replicas_never_lead_at_once_and_one_leads_once_the_api_heals()
    {
        Scenario.Sample(scenario =>
        {
            var model = Run(scenario.Replicas, scenario.Fates, renewDeadline: null);
            Assert.Empty(model.Overlaps);
            Assert.Single(model.Leaders);
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void The_model_catches_a_renew_deadline_longer_than_the_lease()
    {
        // The invariant rests on renew deadline < lease duration; break that and the property must fail.
        Assert.ThrowsAny<Exception>(() => Scenario.Sample(
            scenario => Assert.Empty(Run(scenario.Replicas, scenario.Fates, renewDeadline: TimeSpan.FromSeconds(40)).Overlaps),
            iter: 300,
            threads: 1));
    }

    private static LeaderElectionModel Run(int replicas, LeaderElectionFate[] fates, TimeSpan? renewDeadline)
    {
        var model = new LeaderElectionModel(replicas, fates, renewDeadline);
        while (!model.Healed)
        {
            model.RunUntil(model.Now + TimeSpan.FromMinutes(1));
        }

        // Requests begun before the healing may take up to 28 s; then a lease runs out and a follower retries.
        model.RunUntil(model.Now + TimeSpan.FromMinutes(2));
        return model;
    }
}
