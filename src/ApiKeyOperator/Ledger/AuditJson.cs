using System.Text.Json;

namespace ApiKeyOperator.Ledger;

/// <summary>The one JSON shape of an audit page, shared by the endpoint and the CLI: camelCase, UTC times.</summary>
internal static class AuditJson
{
    private static readonly JsonSerializerOptions Indented = CreateIndented();

    public static string Serialize(AuditPage page, bool indented) =>
        JsonSerializer.Serialize(page, indented ? Indented : JsonSerializerOptions.Web);

    private static JsonSerializerOptions CreateIndented()
    {
        var options = new JsonSerializerOptions(JsonSerializerOptions.Web) { WriteIndented = true };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
