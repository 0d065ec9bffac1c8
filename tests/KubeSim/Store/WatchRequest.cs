using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// What an HTTP watch asks for. Without FromRevision (or with 0), or with SendInitialEvents, the current objects
/// arrive first as ADDED; SendInitialEvents then marks their end with a BOOKMARK annotated
/// k8s.io/initial-events-end. Render, when set, turns each object into what goes on the wire (Table rows).
/// </summary>
internal sealed record WatchRequest(Func<JsonObject, bool> Filter, long? FromRevision)
{
    public bool Bookmarks { get; init; }

    public bool SendInitialEvents { get; init; }

    public int? DropAfterEvents { get; init; }

    public Func<JsonObject, bool, JsonObject>? Render { get; init; }
}
