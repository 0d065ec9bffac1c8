using CsCheck;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers.ApiKeyRotations;

/// <summary>
/// Model-based test of the two planners together: random interleavings of rotations created, deleted and edited,
/// workloads Ready, not Ready and deleted, operator crashes mid-reconcile, time passing, Secrets lost and Emergency
/// requests. <see cref="RotationWorld"/> checks after every step that no key a not-yet-rolled dependent runs is
/// revoked by a Graceful rotation, that a compromised key is revoked within one reconcile of an Emergency request,
/// that no rotation issues two keys, and that no workload is rolled twice for one key.
/// </summary>
public sealed class RotationModelTests
{
    private const int Runs = 100;
    private const int StepsPerRun = 100;

    // Reconciles are weighted up: most of what happens in an operator's life is reconciling.
    private static readonly Gen<(int Action, int Pick)> Step = Gen.Select(
        Gen.Frequency((3, Gen.Int[0, 2]), (4, Gen.Int[3, 6]), (2, Gen.Int[7, 8]), (6, Gen.Int[9, 10]), (1, Gen.Const(11)), (5, Gen.Const(12))),
        Gen.Int[0, 1000]);

    private static readonly Gen<(int Action, int Pick)[]> Run = Step.Array[StepsPerRun];

    // The same weights for plain seeded runs.
    private static readonly int[] Weighted = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9, 10, 9, 10, 11, 12, 12, 12, 12, 12];

    [Fact]
    public void Random_interleavings_keep_every_rotation_invariant()
    {
        var steps = 0;
        Run.Sample(run =>
        {
            var world = new RotationWorld();
            foreach (var (action, pick) in run)
            {
                world.Do(action, pick);
            }

            Interlocked.Add(ref steps, world.Steps);
        }, iter: Runs, threads: 1);

        Assert.True(steps >= 10_000, $"only {steps} steps ran");
    }

    [Theory]
    [InlineData(true, false, "still run it")]
    [InlineData(false, true, "grace period after its rollout ended")]
    public void The_invariants_bite_when_readiness_or_the_grace_period_is_ignored(bool ignoreReadiness, bool ignoreGrace, string violation)
    {
        // The same model with the readiness gate removed, or the grace period: some run revokes a key too early. Plain
        // seeded runs (no shrinking needed): the point is only that the check fails.
        var random = new Random(10);
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            for (var run = 0; run < Runs; run++)
            {
                var world = new RotationWorld { IgnoreReadiness = ignoreReadiness, IgnoreGrace = ignoreGrace };
                for (var step = 0; step < StepsPerRun; step++)
                {
                    world.Do(Weighted[random.Next(Weighted.Length)], random.Next(0, 1000));
                }
            }
        });

        Assert.Contains(violation, error.Message);
    }
}
