using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// One committed change. Object and Previous are private snapshots that nobody mutates; they are only read
/// under the store's lock, where the per-version wire form is computed once and cached.
/// </summary>
internal sealed class StoredEvent(long revision, string group, string plural, string? ns, string type, JsonObject obj, JsonObject? previous)
{
    private readonly Dictionary<string, string> lines = new(StringComparer.Ordinal);

    public long Revision { get; } = revision;

    public string Group { get; } = group;

    public string Plural { get; } = plural;

    public string? Namespace { get; } = ns;

    public string Type { get; } = type;

    public JsonObject Object { get; } = obj;

    public JsonObject? Previous { get; } = previous;

    /// <summary>The watch line `{"type":…,"object":…}` for the given event type and apiVersion.</summary>
    public string Line(string type, string apiVersion)
    {
        var key = type + " " + apiVersion;
        if (!lines.TryGetValue(key, out var line))
        {
            var copy = (JsonObject)Object.DeepClone();
            copy["apiVersion"] = apiVersion;
            line = new JsonObject { ["type"] = type, ["object"] = copy }.ToJsonString(Wire.Options);
            lines[key] = line;
        }

        return line;
    }
}
