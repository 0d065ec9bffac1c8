using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeSim.Patching;

/// <summary>JSON patch (RFC 6902) over a copy of the target; the target itself is never modified.</summary>
internal static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var document = new JsonObject { ["root"] = target?.DeepClone() };
        foreach (var entry in operations)
        {
            if (entry is not JsonObject operation)
            {
                throw new PatchException("json patch operation must be an object");
            }

            ApplyOne(document, operation);
        }

        var result = document["root"];
        document.Remove("root");
        return result;
    }

    private static void ApplyOne(JsonObject document, JsonObject operation)
    {
        var op = RequiredString(operation, "op");
        var path = RequiredString(operation, "path");
        switch (op)
        {
            case "add":
                Add(document, path, RequiredValue(operation, op));
                break;
            case "remove":
                Remove(document, path);
                break;
            case "replace":
                Remove(document, path);
                Add(document, path, RequiredValue(operation, op));
                break;
            case "move":
            {
                var from = RequiredString(operation, "from");
                if (path.StartsWith(from + "/", StringComparison.Ordinal))
                {
                    throw new PatchException($"cannot move \"{from}\" into its own child \"{path}\"");
                }

                var value = Remove(document, from);
                Add(document, path, value);
                break;
            }
            case "copy":
                Add(document, path, Resolve(document, RequiredString(operation, "from"))?.DeepClone());
                break;
            case "test":
            {
                var actual = Resolve(document, path);
                if (!JsonNode.DeepEquals(actual, RequiredValue(operation, op)))
                {
                    throw new PatchException($"testing value {path} failed: test failed");
                }

                break;
            }
            default:
                throw new PatchException($"Unexpected kind: {op}");
        }
    }

    private static string RequiredString(JsonObject operation, string name) =>
        operation[name] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new PatchException($"json patch operation is missing \"{name}\"");

    private static JsonNode? RequiredValue(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new PatchException($"json patch \"{op}\" operation is missing \"value\"");

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"invalid json pointer \"{pointer}\": must start with /");
        }

        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    // The document is wrapped in {"root": ...} so the empty pointer is an ordinary child of a container.
    private static (JsonNode Parent, string Token) Locate(JsonObject document, string pointer)
    {
        var tokens = Tokens(pointer);
        tokens.Insert(0, "root");
        JsonNode current = document;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Child(current, tokens[i]) ?? throw new PatchException($"doc is missing path: \"{pointer}\"");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Resolve(JsonObject document, string pointer)
    {
        var (parent, token) = Locate(document, pointer);
        return parent switch
        {
            JsonObject obj when obj.TryGetPropertyValue(token, out var value) => value,
            JsonArray array => array[Index(array, token, pointer, allowEnd: false)],
            _ => throw new PatchException($"doc is missing key: \"{pointer}\""),
        };
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj.TryGetPropertyValue(token, out var value) ? value : null,
        JsonArray array => int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count ? array[i] : null,
        _ => null,
    };

    private static int Index(JsonArray array, string token, string pointer, bool allowEnd)
    {
        if (allowEnd && token == "-")
        {
            return array.Count;
        }

        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || (token.Length > 1 && token[0] == '0'))
        {
            throw new PatchException($"invalid array index \"{token}\" in \"{pointer}\"");
        }

        var limit = allowEnd ? array.Count : array.Count - 1;
        if (index > limit)
        {
            throw new PatchException($"Unable to access invalid index: {index} in \"{pointer}\"");
        }

        return index;
    }

    private static void Add(JsonObject document, string pointer, JsonNode? value)
    {
        var (parent, token) = Locate(document, pointer);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array:
                array.Insert(Index(array, token, pointer, allowEnd: true), value);
                break;
            default:
                throw new PatchException($"doc is missing path: \"{pointer}\"");
        }
    }

    private static JsonNode? Remove(JsonObject document, string pointer)
    {
        var (parent, token) = Locate(document, pointer);
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(token, out var value):
                obj.Remove(token);
                return value;
            case JsonArray array:
            {
                var index = Index(array, token, pointer, allowEnd: false);
                var value = array[index];
                array.RemoveAt(index);
                return value;
            }
            default:
                throw new PatchException($"Unable to remove nonexistent key: \"{pointer}\": missing value");
        }
    }
}
