using System.Globalization;
using System.Text.Json.Nodes;
using KubeSim.ServerSideApply;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>The resource verbs: get, list, create, update, patch, delete, deletecollection (watch is WatchHandler's).</summary>
internal sealed class ResourceHandler(ObjectStore store, TableWriter tables, ScaleSubresource scale, AdmittedWrites writes)
{
    public async Task HandleAsync(HttpContext context, ApiRoute route, string verb, CancellationToken ct)
    {
        if (route.Subresource == "scale")
        {
            await scale.HandleAsync(context, route, verb, ct).ConfigureAwait(false);
            return;
        }

        var def = route.Definition!;
        var status = route.Subresource == "status";
        var code = 200;
        var subresource = route.Subresource ?? "";
        switch (verb)
        {
            case "get":
                var found = store.Get(def.Id, route.Namespace, route.Name!) ?? throw StatusErrors.NotFound(def.Id, route.Name!);
                await HttpIo.WriteAsync(context, 200, TableWriter.Wants(context) ? tables.Render(context, def, [found]) : found, ct).ConfigureAwait(false);
                break;
            case "list":
                await ListAsync(context, route, ct).ConfigureAwait(false);
                break;
            case "create":
                var writeCreate = WriteRequest.Context(context, verb, subresource, apply: false);
                var created = await writes.CreateAsync(context, route, CheckKind(def, await HttpIo.ReadObjectAsync(context, ct).ConfigureAwait(false)), writeCreate, ct).ConfigureAwait(false);
                await HttpIo.WriteAsync(context, 201, created, ct).ConfigureAwait(false);
                break;
            case "update":
                var writeUpdate = WriteRequest.Context(context, verb, subresource, apply: false);
                var body = await HttpIo.ReadObjectAsync(context, ct).ConfigureAwait(false);
                CheckIdentity(route, body);
                await HttpIo.WriteAsync(context, 200, await writes.UpdateAsync(context, route, body, writeUpdate, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                break;
            case "patch":
                var mediaType = PatchBody.MediaType(context.Request.ContentType, def);
                var writePatch = WriteRequest.Context(context, verb, subresource, apply: mediaType == ApplyPatch.MediaType);
                JsonObject patched;
                if (mediaType == ApplyPatch.MediaType)
                {
                    // Server-side apply merges inside the store's lock: schema, CEL and built-in validation run there,
                    // admission webhooks do not (a known difference).
                    var config = await ApplyPatch.ReadConfigAsync(context, def, route.Name!, ct).ConfigureAwait(false);
                    var old = store.Get(def.Id, route.Namespace, route.Name!);
                    code = old is null ? 201 : 200;
                    patched = store.Apply(def.Id, route.Namespace, route.Name!, config, WriteRequest.Force(context), status, writePatch,
                        merged => writes.AdmitApplied(context, route, merged, old));
                }
                else
                {
                    var transform = PatchBody.Transform(mediaType, await HttpIo.ReadJsonAsync(context, ct).ConfigureAwait(false), def);
                    patched = await writes.PatchAsync(context, route, transform, writePatch, ct).ConfigureAwait(false);
                }

                await HttpIo.WriteAsync(context, code, patched, ct).ConfigureAwait(false);
                break;
            case "delete":
                await DeleteAsync(context, route, ct).ConfigureAwait(false);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(context, route, ct).ConfigureAwait(false);
                break;
            default:
                throw StatusErrors.MethodNotAllowed();
        }
    }

    private async Task ListAsync(HttpContext context, ApiRoute route, CancellationToken ct)
    {
        var def = route.Definition!;
        var limitText = HttpIo.Query(context, "limit");
        int? limit = limitText is null ? null
            : int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l >= 0 ? l
            : throw StatusErrors.BadRequest($"invalid limit: {limitText}");
        var page = store.ListPage(def.Id, route.Namespace, ListFilter.From(context), limit, NullIfEmpty(HttpIo.Query(context, "continue")));
        if (TableWriter.Wants(context))
        {
            var table = tables.Render(context, def, page.Items);
            table["metadata"] = ListMeta(page);
            await HttpIo.WriteAsync(context, 200, table, ct).ConfigureAwait(false);
            return;
        }

        var list = new JsonObject
        {
            ["kind"] = def.ListKind,
            ["apiVersion"] = def.Id.ApiVersion,
            ["metadata"] = ListMeta(page),
            ["items"] = new JsonArray([.. page.Items]),
        };
        await HttpIo.WriteAsync(context, 200, list, ct).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, ApiRoute route, CancellationToken ct)
    {
        var def = route.Definition!;
        var (options, optionsBody) = await ReadDeleteOptionsAsync(context, ct).ConfigureAwait(false);
        await writes.AdmitDeleteAsync(context, route, route.Namespace, route.Name!, optionsBody, ct).ConfigureAwait(false);
        if (DryRun(context))
        {
            var current = store.Get(def.Id, route.Namespace, route.Name!) ?? throw StatusErrors.NotFound(def.Id, route.Name!);
            await HttpIo.WriteAsync(context, 200, current, ct).ConfigureAwait(false);
            return;
        }

        var deleted = store.Delete(def.Id, route.Namespace, route.Name!, options);
        var stillThere = store.Get(def.Id, route.Namespace, route.Name!) is not null;
        // kube-apiserver answers 202 with the object while finalizers hold it, and the object (custom resources,
        // and pods, whose deletion is graceful) or a Success Status (other built-ins) once it is gone. The client
        // deserialises DeleteNamespacedPod's answer as a V1Pod.
        if (stillThere)
        {
            await HttpIo.WriteAsync(context, 202, deleted, ct).ConfigureAwait(false);
        }
        else if (def.IsCustom || def.Kind == "Pod")
        {
            await HttpIo.WriteAsync(context, 200, deleted, ct).ConfigureAwait(false);
        }
        else
        {
            await HttpIo.WriteAsync(context, 200, StatusErrors.Success(def.Id, route.Name!, ObjectMeta.Get(deleted, "uid")), ct).ConfigureAwait(false);
        }
    }

    private async Task DeleteCollectionAsync(HttpContext context, ApiRoute route, CancellationToken ct)
    {
        var def = route.Definition!;
        var (options, optionsBody) = await ReadDeleteOptionsAsync(context, ct).ConfigureAwait(false);
        var page = store.ListPage(def.Id, route.Namespace, ListFilter.From(context), null, null);
        var deleted = new JsonArray();
        foreach (var item in page.Items)
        {
            try
            {
                await writes.AdmitDeleteAsync(context, route, ObjectMeta.Namespace(item), ObjectMeta.Name(item), optionsBody, ct).ConfigureAwait(false);
                deleted.Add(store.Delete(def.Id, ObjectMeta.Namespace(item), ObjectMeta.Name(item), options));
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                // Deleted concurrently: deletecollection is best-effort per item, as in kube-apiserver.
            }
        }

        var list = new JsonObject
        {
            ["kind"] = def.ListKind,
            ["apiVersion"] = def.Id.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentRevision.ToString(CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        };
        await HttpIo.WriteAsync(context, 200, list, ct).ConfigureAwait(false);
    }

    private static bool DryRun(HttpContext context) => HttpIo.Query(context, "dryRun") == "All";

    private static JsonObject CheckKind(ResourceDefinition def, JsonObject body)
    {
        if (body["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) && text.Length > 0 && text != def.Kind)
        {
            throw StatusErrors.BadRequest($"the kind of the object ({text}) does not match the kind of the resource ({def.Kind})");
        }

        return body;
    }

    private static void CheckIdentity(ApiRoute route, JsonObject body)
    {
        CheckKind(route.Definition!, body);
        var name = ObjectMeta.Name(body);
        if (name != route.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({route.Name})");
        }

        if (route.Namespace is not null && ObjectMeta.Namespace(body) is { Length: > 0 } ns && ns != route.Namespace)
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private static async Task<(DeleteOptions Options, JsonObject? Body)> ReadDeleteOptionsAsync(HttpContext context, CancellationToken ct)
    {
        var body = await HttpIo.ReadJsonAsync(context, ct).ConfigureAwait(false) as JsonObject;
        var policy = HttpIo.Query(context, "propagationPolicy") ?? body?["propagationPolicy"]?.GetValue<string>();
        if (policy is null && (HttpIo.Query(context, "orphanDependents") == "true" || body?["orphanDependents"]?.GetValue<bool>() == true))
        {
            policy = "Orphan";
        }

        return (new DeleteOptions
        {
            PropagationPolicy = policy,
            PreconditionUid = body?["preconditions"]?["uid"]?.GetValue<string>(),
            PreconditionResourceVersion = body?["preconditions"]?["resourceVersion"]?.GetValue<string>(),
        }, body);
    }

    private static JsonObject ListMeta(ListPage page)
    {
        var meta = new JsonObject { ["resourceVersion"] = page.Revision.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null)
        {
            meta["continue"] = page.Continue;
            meta["remainingItemCount"] = page.RemainingItemCount;
        }

        return meta;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
