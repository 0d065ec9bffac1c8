using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>One page of a list: the items, the list's resourceVersion and the continue token (null on the last page).</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, long Revision, string? Continue, long? RemainingItemCount);
