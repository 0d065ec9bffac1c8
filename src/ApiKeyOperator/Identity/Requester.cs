namespace ApiKeyOperator.Identity;

/// <summary>
/// The authenticated Kubernetes user who caused a change, as the API server's admission chain saw it
/// (<c>AdmissionReview.request.userInfo</c>). Only an <see cref="IRequesterResolver"/> produces one for an
/// object: nothing a client can set on the object (field manager, labels, annotations) is taken at face value.
/// </summary>
public sealed record Requester(string Username, IReadOnlyList<string> Groups, string? Uid)
{
    /// <summary>The operator's own scheduled or time-driven work (scheduled rotation, expiry, grace period end).</summary>
    public static Requester Operator { get; } = new("system:apikey-operator", [], null);

    /// <summary>No trustworthy record of who asked (no webhook ran, or what is recorded does not verify).</summary>
    public static Requester Unknown { get; } = new("unknown", [], null);

    /// <summary>What the audit trail's actor column shows.</summary>
    public string AuditName => Username;
}
