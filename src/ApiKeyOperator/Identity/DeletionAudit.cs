namespace ApiKeyOperator.Identity;

/// <summary>The audit row the admission webhook writes, and how it names the object.</summary>
public static class DeletionAudit
{
    /// <summary>A (non dry-run) DELETE of an ApiKey passed admission; the actor is the requester.</summary>
    public const string Kind = "DeletionRequested";

    /// <summary>The row's message: which incarnation of the name was asked to go.</summary>
    public static string DeletionMessage(string? uid) => $"deletion requested (uid {uid})";
}
