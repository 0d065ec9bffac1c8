namespace ApiKeyOperator.Rollouts;

/// <summary>The readiness verdict for one workload, with a message a person can act on.</summary>
public sealed record RolloutStatus(RolloutState State, string Message, string? Reason = null)
{
    public bool IsReady => State == RolloutState.Ready;

    public bool IsFailed => State == RolloutState.Failed;

    public static RolloutStatus Ready(string message) => new(RolloutState.Ready, message);

    public static RolloutStatus Progressing(string message) => new(RolloutState.Progressing, message);

    /// <summary>A failure; <paramref name="reason"/> is the CamelCase reason conditions and Events carry.</summary>
    public static RolloutStatus Failed(string reason, string message) => new(RolloutState.Failed, message, reason);
}
