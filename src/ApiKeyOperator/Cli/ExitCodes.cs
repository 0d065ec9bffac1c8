namespace ApiKeyOperator.Cli;

/// <summary>Exit codes of every command, so that scripts can tell why a command failed (README "CLI").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>What was asked failed (a rotation ended Failed), or an error none of the codes below names.</summary>
    public const int Failed = 1;

    /// <summary>Bad flags or arguments; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>The object named does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>The cluster cannot be reached: no kubeconfig, an unreadable one, connection refused, DNS or TLS failure.</summary>
    public const int Unreachable = 4;

    /// <summary>A wait (<c>rotate --wait --timeout</c>) ran out; what was started goes on in the cluster.</summary>
    public const int Timeout = 5;

    /// <summary>The API server refused the credentials (401) or the permission (403).</summary>
    public const int Forbidden = 6;
}
