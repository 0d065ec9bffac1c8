using System.Globalization;
using System.Text.Json.Nodes;
using KubeSim.JsonPaths;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>
/// Answers `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` (what kubectl get asks for) with a meta.k8s.io/v1
/// Table: Name, the kind's columns (CRD additionalPrinterColumns or built-in ones), and Age.
/// </summary>
internal sealed class TableWriter(TimeProvider time)
{
    public static bool Wants(HttpContext context) =>
        context.Request.Headers.Accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.Ordinal));

    public JsonObject Render(HttpContext context, ResourceDefinition definition, IReadOnlyList<JsonObject> items)
    {
        var columns = Columns(definition);
        var includeObject = HttpIo.Query(context, "includeObject") ?? "Metadata";
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => c.Cell(item))]) };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = item.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = item["metadata"]?.DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)Definition(c))]),
            ["rows"] = rows,
        };
    }

    /// <summary>The Table for one watch event: column definitions only on the first event, as kube-apiserver does.</summary>
    public JsonObject RenderWatchEvent(HttpContext context, ResourceDefinition definition, JsonObject item, bool first)
    {
        var table = Render(context, definition, [item]);
        if (!first)
        {
            table["columnDefinitions"] = new JsonArray();
        }

        return table;
    }

    private List<TableColumn> Columns(ResourceDefinition definition)
    {
        var specific = definition.IsCustom ? [.. CustomColumns(definition)] : BuiltInColumns.For(definition, Age);
        var columns = new List<TableColumn>();
        if (!specific.Any(c => c.Format == "name"))
        {
            columns.Add(new("Name", "string", "Name must be unique within a namespace.", 0, o => ObjectMeta.Name(o), "name"));
        }

        columns.AddRange(specific);
        if (!columns.Any(c => c.Name is "Age" or "Last Seen"))
        {
            columns.Add(new TableColumn("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0,
                o => Age(ObjectMeta.Get(o, "creationTimestamp"))));
        }

        return columns;
    }

    private IEnumerable<TableColumn> CustomColumns(ResourceDefinition definition)
    {
        foreach (var column in (definition.PrinterColumns ?? []).OfType<JsonObject>())
        {
            var type = column["type"]?.GetValue<string>() ?? "string";
            var path = JsonPathExpression.Parse(column["jsonPath"]?.GetValue<string>() ?? "");
            yield return new TableColumn(
                column["name"]?.GetValue<string>() ?? "",
                type,
                column["description"]?.GetValue<string>() ?? "",
                column["priority"]?.GetValue<int>() ?? 0,
                o => Cell(type, path.Evaluate(o).FirstOrDefault()),
                column["format"]?.GetValue<string>());
        }
    }

    private JsonNode? Cell(string type, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        return type switch
        {
            "date" => value is JsonValue v && v.TryGetValue<string>(out var text) ? Age(text) : null,
            "string" => value is JsonValue s && s.TryGetValue<string>(out var str) ? str : value.ToJsonString(),
            _ => value.DeepClone(),
        };
    }

    private string Age(string? timestamp) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? HumanDuration.Format(time.GetUtcNow() - created)
            : "<unknown>";

    private static JsonObject Definition(TableColumn column)
    {
        var definition = new JsonObject
        {
            ["name"] = column.Name,
            ["type"] = column.Type == "date" ? "string" : column.Type,
            ["format"] = column.Format ?? "",
            ["description"] = column.Description,
            ["priority"] = column.Priority,
        };
        return definition;
    }
}
