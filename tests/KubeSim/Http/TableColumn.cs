using System.Text.Json.Nodes;

namespace KubeSim.Http;

/// <summary>One column of a server-side Table: its definition and how to compute a cell from an object.</summary>
internal sealed record TableColumn(string Name, string Type, string Description, int Priority, Func<JsonObject, JsonNode?> Cell, string? Format = null);
