using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// One write as admission sees it: operation, resource (and subresource), namespace, name, the new object (null
/// for DELETE), the stored object (UPDATE and DELETE), the caller, dry-run, and the operation's options.
/// </summary>
internal sealed record AdmissionAttributes(
    AdmissionOperation Operation,
    ResourceDefinition Definition,
    string? Subresource,
    string? Namespace,
    string Name,
    JsonObject? Object,
    JsonObject? OldObject,
    AuthUser User,
    bool DryRun)
{
    /// <summary>CreateOptions, UpdateOptions or DeleteOptions as the request carried them.</summary>
    public JsonObject? Options { get; init; }

    public string OperationName => Operation switch
    {
        AdmissionOperation.Create => "CREATE",
        AdmissionOperation.Update => "UPDATE",
        _ => "DELETE",
    };
}
