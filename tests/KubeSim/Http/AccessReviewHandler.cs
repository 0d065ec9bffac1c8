using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>
/// SubjectAccessReview and SelfSubjectAccessReview (what `kubectl auth can-i [--as …]` asks), answered by the
/// RBAC objects stored in KubeSim.
/// </summary>
internal sealed class AccessReviewHandler(RbacAuthorizer rbac)
{
    public async Task HandleAsync(HttpContext context, ApiRoute route, string verb, CancellationToken ct)
    {
        if (verb != "create")
        {
            throw StatusErrors.MethodNotAllowed();
        }

        var review = await HttpIo.ReadObjectAsync(context, ct).ConfigureAwait(false);
        var spec = review["spec"] as JsonObject ?? [];
        var self = route.Definition!.Kind == "SelfSubjectAccessReview";
        var user = self ? RequestIdentity.User(context) : NullIfEmpty(Text(spec["user"]));
        var groups = self
            ? context.Request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList()
            : (spec["groups"] as JsonArray ?? []).Select(Text).ToList();
        var allowed = rbac.Allows(user, Request(spec), groups);
        review["apiVersion"] = route.Definition.Id.ApiVersion;
        review["kind"] = route.Definition.Kind;
        review["metadata"] ??= new JsonObject();
        review["status"] = new JsonObject
        {
            ["allowed"] = allowed,
            ["reason"] = allowed ? "RBAC: allowed by the RBAC objects stored in KubeSim" : "",
        };
        await HttpIo.WriteAsync(context, 201, review, ct).ConfigureAwait(false);
    }

    private static RequestRecord Request(JsonObject spec)
    {
        if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            return new RequestRecord(Text(nonResource["verb"]), "", null, null, null, null, 0, Text(nonResource["path"]));
        }

        var attributes = spec["resourceAttributes"] as JsonObject ?? [];
        return new RequestRecord(
            Text(attributes["verb"]),
            Text(attributes["group"]),
            Text(attributes["resource"]),
            NullIfEmpty(Text(attributes["subresource"])),
            NullIfEmpty(Text(attributes["namespace"])),
            NullIfEmpty(Text(attributes["name"])),
            0,
            "");
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
