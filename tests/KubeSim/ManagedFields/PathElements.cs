using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim.ManagedFields;

/// <summary>Path elements of field sets ("f:", "k:", "v:") and their display form in conflict messages.</summary>
internal static class PathElements
{
    public static string Field(string name) => "f:" + name;

    public static string Value(JsonNode? value) => "v:" + (value?.ToJsonString() ?? "null");

    /// <summary>The key element of a list-map item: its key fields, sorted, as compact JSON.</summary>
    public static string Key(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys.Order(StringComparer.Ordinal))
        {
            key[name] = KeyValue(item, name)?.DeepClone();
        }

        return "k:" + key.ToJsonString();
    }

    /// <summary>A key field of an item; protocol defaults to TCP as the Kubernetes schemas declare.</summary>
    public static JsonNode? KeyValue(JsonObject item, string name) =>
        item[name] ?? (name == "protocol" ? JsonValue.Create("TCP") : null);

    /// <summary>The path as kube-apiserver prints it in conflicts: .spec.containers[name="app"].image.</summary>
    public static string Display(IReadOnlyList<string> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k':
                    var key = JsonNode.Parse(body) as JsonObject ?? [];
                    text.Append('[').Append(string.Join(",", key.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString() ?? "null"}"))).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(body).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }

        return text.ToString();
    }
}
