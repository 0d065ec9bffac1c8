namespace ApiKeyOperator.Api;

/// <summary>kstatus condition types: Ready, Reconciling and Stalled are what kstatus-aware tools read.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";

    /// <summary>ApiKey only: a rotation is underway.</summary>
    public const string Rotating = "Rotating";

    /// <summary>ApiKey only: a key other than the current one stays valid with no rotation running (a failed Graceful rotation).</summary>
    public const string LeftoverKeyValid = "LeftoverKeyValid";

    /// <summary>ApiKey only, when spec.rollout.targets names workloads: whether all of them exist.</summary>
    public const string RolloutTargetsFound = "RolloutTargetsFound";
}
