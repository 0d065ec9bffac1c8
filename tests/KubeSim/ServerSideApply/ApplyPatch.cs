using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeSim.ServerSideApply;

/// <summary>
/// PATCH with application/apply-patch+yaml: reads and checks the configuration as kube-apiserver does (size,
/// syntax, apiVersion and kind, no managedFields) and applies it through the store.
/// </summary>
internal static class ApplyPatch
{
    public const string MediaType = "application/apply-patch+yaml";

    /// <summary>kube-apiserver's limit on a request body.</summary>
    private const int MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task<JsonObject> ReadConfigAsync(HttpContext context, ResourceDefinition definition, string name, CancellationToken ct)
    {
        var text = await ReadBodyAsync(context, ct).ConfigureAwait(false);
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            try
            {
                parsed = YamlJson.Parse(text);
            }
            catch (FormatException ex)
            {
                throw StatusErrors.BadRequest(ex.Message);
            }
        }

        if (parsed is not JsonObject config)
        {
            throw StatusErrors.BadRequest("error decoding YAML: the apply configuration must be an object");
        }

        var apiVersion = config["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var a) ? a : "";
        if (config["kind"] is not JsonValue kindValue || !kindValue.TryGetValue<string>(out var kind) || kind.Length == 0)
        {
            throw StatusErrors.BadRequest($"Object 'Kind' is missing in '{Truncate(config.ToJsonString())}'");
        }

        if (apiVersion != definition.Id.ApiVersion)
        {
            throw StatusErrors.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {apiVersion}, expected: {definition.Id.ApiVersion}");
        }

        if (kind != definition.Kind)
        {
            throw StatusErrors.BadRequest($"the kind of the object ({kind}) does not match the kind of the resource ({definition.Kind})");
        }

        if (config["metadata"]?["managedFields"] is not null)
        {
            throw StatusErrors.BadRequest("metadata.managedFields must be nil");
        }

        var declared = ObjectMeta.Name(config);
        if (declared.Length > 0 && declared != name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({declared}) does not match the name on the URL ({name})");
        }

        ObjectMeta.Metadata(config)["name"] = name;
        return config;
    }

    private static async Task<string> ReadBodyAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw StatusErrors.BadRequest("error decoding YAML: the body is not UTF-8");
        }
    }

    private static ApiException TooLarge() => new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxBodyBytes}");

    private static string Truncate(string text) => text.Length <= 256 ? text : text[..256] + "...";
}
