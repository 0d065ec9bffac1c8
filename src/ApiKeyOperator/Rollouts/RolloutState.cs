namespace ApiKeyOperator.Rollouts;

/// <summary>Where one workload's rollout stands.</summary>
public enum RolloutState
{
    /// <summary>Still rolling or not yet observed by its controller.</summary>
    Progressing,

    /// <summary>Every replica runs the current template and is available.</summary>
    Ready,

    /// <summary>Cannot finish without a human (deadline exceeded, paused, unsupported strategy).</summary>
    Failed,
}
