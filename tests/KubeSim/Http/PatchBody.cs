using System.Text.Json.Nodes;
using KubeSim.Patching;

namespace KubeSim.Http;

/// <summary>Applies a PATCH body of the request's content type to an object.</summary>
internal static class PatchBody
{
    private const string Accepted = "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml";

    /// <summary>The patch media type of the request; 415 for types KubeSim does not accept for this resource.</summary>
    public static string MediaType(string? contentType, ResourceDefinition definition)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "application/merge-patch+json" or "application/json-patch+json" or "application/apply-patch+yaml" => mediaType,
            "application/strategic-merge-patch+json" when !definition.IsCustom => mediaType,
            _ => throw StatusErrors.UnsupportedMediaType(mediaType, definition.IsCustom ? Accepted.Replace(", application/strategic-merge-patch+json", "", StringComparison.Ordinal) : Accepted),
        };
    }

    /// <summary>The read-modify function a PATCH of the given (already validated) media type performs.</summary>
    public static Func<JsonObject, JsonObject> Transform(string mediaType, JsonNode? patch, ResourceDefinition definition)
    {
        Func<JsonObject, JsonNode?> apply = mediaType switch
        {
            "application/json-patch+json" when patch is JsonArray operations => target => JsonPatch.Apply(target, operations),
            "application/json-patch+json" => throw StatusErrors.BadRequest("a JSON patch must be an array of operations"),
            "application/strategic-merge-patch+json" => target => StrategicMergePatch.Apply(target, patch, definition.Kind),
            _ => target => MergePatch.Apply(target, patch),
        };

        return target =>
        {
            try
            {
                return apply(target) as JsonObject ?? throw StatusErrors.BadRequest("the patch did not produce an object");
            }
            catch (PatchException ex)
            {
                throw new ApiException(422, "Invalid", ex.Message);
            }
        };
    }
}
