namespace ApiKeyOperator.Hosting;

/// <summary>
/// Alive while the leader election loop runs and keeps attempting: a loop that ended or stalls would leave this
/// replica neither leading nor able to take over, which only a restart repairs.
/// </summary>
internal sealed class LeaderElectionLivenessCheck(LeaderElection election, TimeProvider time) : ILivenessCheck
{
    public string Name => "leader-election";

    public ReadinessResult Check()
    {
        if (!election.IsRunning)
        {
            return new(false, "leader election loop is not running");
        }

        var quiet = time.GetUtcNow() - election.LastAttempt;
        return quiet > election.StallAfter
            ? new(false, $"no leader election attempt for {quiet.TotalSeconds:F0}s")
            : new(true, election.IsLeader ? "leading" : "following");
    }
}
