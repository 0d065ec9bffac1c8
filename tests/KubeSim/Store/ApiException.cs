using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// An API error with the HTTP code and the API server's reason; the HTTP layer renders it as a Status object.
/// </summary>
internal sealed class ApiException(int code, string reason, string message) : Exception(message)
{
    /// <summary>HTTP status code (404, 409, 422…).</summary>
    public int Code { get; } = code;

    /// <summary>StatusReason such as NotFound, AlreadyExists, Conflict, Invalid.</summary>
    public string Reason { get; } = reason;

    /// <summary>Status.details (name, group, kind, causes), when known.</summary>
    public JsonObject? Details { get; init; }
}
