using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>The scale subresource (autoscaling/v1 Scale) of Deployments, StatefulSets and ReplicaSets, as kubectl scale uses it.</summary>
internal sealed class ScaleSubresource(ObjectStore store)
{
    public async Task HandleAsync(HttpContext context, ApiRoute route, string verb, CancellationToken ct)
    {
        var def = route.Definition!;
        var name = route.Name!;
        JsonObject result;
        switch (verb)
        {
            case "get":
                result = store.Get(def.Id, route.Namespace, name) ?? throw StatusErrors.NotFound(def.Id, name);
                break;
            case "update":
                var write = WriteRequest.Context(context, verb, "scale", apply: false);
                var body = await HttpIo.ReadObjectAsync(context, ct).ConfigureAwait(false);
                result = store.Patch(def.Id, route.Namespace, name, current => WithReplicas(current, body, ObjectMeta.Get(body, "resourceVersion")), false, write);
                break;
            case "patch":
                var mediaType = PatchBody.MediaType(context.Request.ContentType, def);
                if (mediaType == ServerSideApply.ApplyPatch.MediaType)
                {
                    throw StatusErrors.UnsupportedMediaType(mediaType, "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json");
                }

                var patchWrite = WriteRequest.Context(context, verb, "scale", apply: false);
                var transform = PatchBody.Transform(mediaType, await HttpIo.ReadJsonAsync(context, ct).ConfigureAwait(false), def);
                result = store.Patch(def.Id, route.Namespace, name, current =>
                {
                    var patched = transform(ToScale(current));
                    return WithReplicas(current, patched, ObjectMeta.Get(patched, "resourceVersion"));
                }, false, patchWrite);
                break;
            default:
                throw StatusErrors.MethodNotAllowed();
        }

        await HttpIo.WriteAsync(context, 200, ToScale(result), ct).ConfigureAwait(false);
    }

    private static JsonObject WithReplicas(JsonObject current, JsonObject scale, string? resourceVersion)
    {
        var replicas = scale["spec"]?["replicas"]?.DeepClone() ?? throw StatusErrors.BadRequest("spec.replicas is required");
        if (current["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            current["spec"] = spec;
        }

        spec["replicas"] = replicas;
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            // A Scale written with a resourceVersion is conditional on the owning object's version.
            ObjectMeta.Metadata(current)["resourceVersion"] = resourceVersion;
        }

        return current;
    }

    private static JsonObject ToScale(JsonObject obj)
    {
        var meta = ObjectMeta.Metadata(obj);
        var labels = obj["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = string.Join(',', labels.Select(kv => $"{kv.Key}={kv.Value}")),
            },
        };
    }
}
