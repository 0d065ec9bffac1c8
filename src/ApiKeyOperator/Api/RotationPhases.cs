namespace ApiKeyOperator.Api;

/// <summary>Values of <c>ApiKeyRotation.status.phase</c>.</summary>
public static class RotationPhases
{
    public const string Pending = "Pending";
    public const string Issuing = "Issuing";
    public const string RollingOut = "RollingOut";
    public const string GracePeriod = "GracePeriod";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    /// <summary>Whether the rotation is history: a finished rotation is never re-run.</summary>
    public static bool IsFinished(string? phase) => phase is Succeeded or Failed;
}
