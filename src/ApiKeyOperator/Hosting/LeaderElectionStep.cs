namespace ApiKeyOperator.Hosting;

/// <summary>What a replica does after reading the Lease: nothing (another holder's lease runs), create it, or update it.</summary>
internal enum LeaseAction
{
    Wait,
    Create,
    Update,
}

/// <summary>The decision of <see cref="LeaderElectionRules.Read"/>: the write to attempt and what the replica now knows.</summary>
internal readonly record struct LeaderElectionStep(LeaseAction Action, LeaderElectionView Next);
