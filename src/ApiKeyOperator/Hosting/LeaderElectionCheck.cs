namespace ApiKeyOperator.Hosting;

/// <summary>Ready while the leader election loop runs (leading or following).</summary>
internal sealed class LeaderElectionCheck : IReadinessCheck
{
    private readonly LeaderElection _election;

    public LeaderElectionCheck(LeaderElection election)
    {
        _election = election;
    }

    public string Name => "leader-election";

    public ReadinessResult Check() =>
        new(_election.IsRunning, _election.IsLeader ? "leading" : _election.IsRunning ? "following" : "not running");
}
