namespace ApiKeyOperator.Api;

/// <summary>Values of <c>status.keys[].state</c>. Active and Retiring keys verify; Revoked and Expired do not.</summary>
public static class KeyStates
{
    public const string Active = "Active";
    public const string Retiring = "Retiring";
    public const string Revoked = "Revoked";
    public const string Expired = "Expired";

    /// <summary>Whether a key in <paramref name="state"/> is still accepted by verification.</summary>
    public static bool IsValid(string? state) => state is Active or Retiring;
}
