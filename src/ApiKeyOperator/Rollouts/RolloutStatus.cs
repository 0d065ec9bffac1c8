namespace ApiKeyOperator.Rollouts;

/// <summary>The readiness verdict for one workload, with a message a person can act on.</summary>
public sealed record RolloutStatus(RolloutState State, string Message)
{
    public bool IsReady => State == RolloutState.Ready;

    public bool IsFailed => State == RolloutState.Failed;

    public static RolloutStatus Ready(string message) => new(RolloutState.Ready, message);

    public static RolloutStatus Progressing(string message) => new(RolloutState.Progressing, message);

    public static RolloutStatus Failed(string message) => new(RolloutState.Failed, message);
}
