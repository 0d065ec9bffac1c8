using ApiKeyOperator.Api;

namespace ApiKeyOperator.Controllers;

/// <summary>
/// An audit row a planner decided on. It travels in the status write that performs its action
/// (<c>status.pendingAudit</c>) and is recorded from there. <see cref="IdempotencyKey"/> names the fact, so a
/// row re-sent after a crash lands once. Carries the key id, never key material.
/// </summary>
public sealed record PlannedAudit(string Kind, string? KeyId, string Actor, string IdempotencyKey, string? Reason = null, string? Rotation = null, string? Message = null)
{
    public AuditRecord ToRecord(DateTime time) => new()
    {
        Kind = Kind,
        KeyId = KeyId,
        Actor = Actor,
        Reason = Reason,
        Rotation = Rotation,
        Message = Message,
        Time = time,
        IdempotencyKey = IdempotencyKey,
    };
}
