using System.Text.Json.Nodes;
using KubeSim.Cel;
using KubeSim.Http;
using Microsoft.AspNetCore.Http;

namespace KubeSim;

/// <summary>
/// The write verbs with admission, in kube-apiserver's order: mutating webhooks, then defaulting and validation
/// (built-in rules, CRD schema and CEL rules), then validating webhooks, then storage. PATCH is a
/// read-modify-write that retries on a conflict it caused itself (as the API server's update loop does), so
/// webhooks are never called while the store is locked.
/// </summary>
internal sealed class AdmittedWrites(ObjectStore store, AdmissionChain chain)
{
    private readonly CelRuleEvaluator cel = new();

    private const int PatchAttempts = 100;
    private static readonly ResourceId Namespaces = new("", "v1", "namespaces");

    public async Task<JsonObject> CreateAsync(HttpContext context, ApiRoute route, JsonObject body, WriteContext write, CancellationToken ct)
    {
        var def = route.Definition!;
        CheckNamespaceOpen(def, route.Namespace ?? ObjectMeta.Namespace(body), ObjectMeta.Name(body));
        if (def.IsCustom && CrdLifecycle.IsTerminating(store.Get(CrdLifecycle.Resource, null, $"{def.Plural}.{def.Group}")))
        {
            throw new ApiException(405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating")
            {
                Details = new JsonObject { ["group"] = def.Group, ["kind"] = def.Plural },
            };
        }

        var request = Attributes(context, AdmissionOperation.Create, route, ObjectMeta.Name(body), body, null, "CreateOptions");
        var warnings = new List<string>();
        try
        {
            var obj = await AdmitAsync(context, request, warnings, ct).ConfigureAwait(false);
            return store.Create(def.Id, route.Namespace, obj, write);
        }
        finally
        {
            AddWarnings(context, warnings);
        }
    }

    public async Task<JsonObject> UpdateAsync(HttpContext context, ApiRoute route, JsonObject body, WriteContext write, CancellationToken ct)
    {
        var def = route.Definition!;
        var status = route.Subresource == "status";
        var old = store.Get(def.Id, route.Namespace, route.Name!);
        if (old is null && !(def.AllowCreateOnUpdate && !status))
        {
            throw StatusErrors.NotFound(def.Id, route.Name!);
        }

        var request = old is null
            ? Attributes(context, AdmissionOperation.Create, route, route.Name!, body, null, "CreateOptions")
            : Attributes(context, AdmissionOperation.Update, route, route.Name!, body, old, "UpdateOptions");
        var warnings = new List<string>();
        try
        {
            var obj = await AdmitAsync(context, request, warnings, ct).ConfigureAwait(false);
            return store.Update(def.Id, route.Namespace, obj, status, write);
        }
        finally
        {
            AddWarnings(context, warnings);
        }
    }

    public async Task<JsonObject> PatchAsync(HttpContext context, ApiRoute route, Func<JsonObject, JsonObject> transform, WriteContext write, CancellationToken ct)
    {
        var def = route.Definition!;
        var status = route.Subresource == "status";
        var warnings = new List<string>();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = store.Get(def.Id, route.Namespace, route.Name!) ?? throw StatusErrors.NotFound(def.Id, route.Name!);
                var desired = transform((JsonObject)current.DeepClone());
                if (ObjectMeta.Name(desired) != route.Name)
                {
                    throw StatusErrors.BadRequest("the name of the object in the patch does not match the name on the request");
                }

                // A patch that names no resourceVersion applies to whatever is current: retry when another write won.
                var unconditional = ObjectMeta.Get(desired, "resourceVersion") == ObjectMeta.Get(current, "resourceVersion");
                var request = Attributes(context, AdmissionOperation.Update, route, route.Name!, desired, current, "PatchOptions");
                warnings.Clear();
                var obj = await AdmitAsync(context, request, warnings, ct).ConfigureAwait(false);
                ObjectMeta.Metadata(obj)["name"] = route.Name;
                if (unconditional)
                {
                    ObjectMeta.Metadata(obj)["resourceVersion"] = ObjectMeta.Get(current, "resourceVersion");
                }

                try
                {
                    return store.Update(def.Id, route.Namespace, obj, status, write);
                }
                catch (ApiException ex) when (ex.Code == 409 && ex.Reason == "Conflict" && unconditional && attempt < PatchAttempts)
                {
                    // Lost a race with another writer: read again and re-apply the patch.
                }
            }
        }
        finally
        {
            AddWarnings(context, warnings);
        }
    }

    /// <summary>Validation of a server-side-applied object, inside the store's lock (no webhooks there).</summary>
    public JsonObject AdmitApplied(HttpContext context, ApiRoute route, JsonObject merged, JsonObject? old)
    {
        var def = route.Definition!;
        var obj = ObjectValidation.Admit(def, merged, old, route.Subresource, cel);
        return CustomResourceAdmission.Admit(context, def, obj, old, cel);
    }

    /// <summary>Runs admission for a DELETE of the named object (the caller then deletes it).</summary>
    public async Task AdmitDeleteAsync(HttpContext context, ApiRoute route, string? ns, string name, JsonObject? options, CancellationToken ct)
    {
        if (!chain.HasWebhooks())
        {
            return;
        }

        var def = route.Definition!;
        var current = store.Get(def.Id, ns, name) ?? throw StatusErrors.NotFound(def.Id, name);
        var request = Attributes(context, AdmissionOperation.Delete, route, name, null, current, "DeleteOptions") with
        {
            Namespace = ns,
            Options = DeleteOptions(options),
        };
        var warnings = new List<string>();
        try
        {
            await chain.MutateAsync(request, warnings, ct).ConfigureAwait(false);
            await chain.ValidateAsync(request, warnings, ct).ConfigureAwait(false);
        }
        finally
        {
            AddWarnings(context, warnings);
        }
    }

    /// <summary>
    /// Admission for a delete KubeSim's own controllers make (namespace controller, garbage collector), as the
    /// given ServiceAccount user; false when a webhook refused it (the controller retries on its next pass).
    /// </summary>
    public async Task<bool> AdmitSystemDeleteAsync(ResourceDefinition def, JsonObject current, AuthUser user, CancellationToken ct)
    {
        if (!chain.HasWebhooks())
        {
            return true;
        }

        var request = new AdmissionAttributes(AdmissionOperation.Delete, def, null, ObjectMeta.Namespace(current), ObjectMeta.Name(current), null, current, user, false)
        {
            Options = DeleteOptions(new JsonObject { ["propagationPolicy"] = "Background" }),
        };
        try
        {
            var warnings = new List<string>();
            await chain.MutateAsync(request, warnings, ct).ConfigureAwait(false);
            await chain.ValidateAsync(request, warnings, ct).ConfigureAwait(false);
            return true;
        }
        catch (ApiException)
        {
            return false;
        }
    }

    private async Task<JsonObject> AdmitAsync(HttpContext context, AdmissionAttributes request, List<string> warnings, CancellationToken ct)
    {
        var def = request.Definition;
        // Decoding defaults (Secret stringData folded into data, Secret type, workload defaults) come before admission.
        var obj = (JsonObject)request.Object!.DeepClone();
        if (request.Subresource is null)
        {
            KindDefaults.Apply(def, obj, creating: request.OldObject is null);
        }

        request = request with { Object = obj };
        if (chain.HasWebhooks())
        {
            obj = await chain.MutateAsync(request, warnings, ct).ConfigureAwait(false) ?? obj;
        }

        obj = ObjectValidation.Admit(def, obj, request.OldObject, request.Subresource, cel);
        obj = CustomResourceAdmission.Admit(context, def, obj, request.OldObject, cel);
        if (chain.HasWebhooks())
        {
            await chain.ValidateAsync(request with { Object = obj }, warnings, ct).ConfigureAwait(false);
        }

        return obj;
    }

    // The NamespaceLifecycle plugin runs before any webhook: no content is created in a terminating namespace.
    private void CheckNamespaceOpen(ResourceDefinition def, string? ns, string name)
    {
        if (def.Namespaced && !string.IsNullOrEmpty(ns) && store.Get(Namespaces, null, ns) is { } namespaceObject && ObjectMeta.IsDeleting(namespaceObject))
        {
            throw StatusErrors.NamespaceTerminating(def.Id, name, ns);
        }
    }

    private static AdmissionAttributes Attributes(HttpContext context, AdmissionOperation operation, ApiRoute route, string name, JsonObject? obj, JsonObject? old, string optionsKind)
    {
        var ns = route.Definition!.Namespaced ? route.Namespace ?? (obj is null ? null : ObjectMeta.Namespace(obj)) : null;
        var options = new JsonObject { ["kind"] = optionsKind, ["apiVersion"] = "meta.k8s.io/v1" };
        if (HttpIo.Query(context, "fieldManager") is { } manager)
        {
            options["fieldManager"] = manager;
        }

        if (HttpIo.Query(context, "dryRun") is { } dryRun)
        {
            options["dryRun"] = new JsonArray(dryRun);
        }

        return new AdmissionAttributes(operation, route.Definition!, route.Subresource, ns, name, obj, old,
            RequestAuthenticator.Of(context) ?? RequestAuthenticator.Admin, HttpIo.Query(context, "dryRun") == "All")
        {
            Options = options,
        };
    }

    private static JsonObject DeleteOptions(JsonObject? body)
    {
        var options = (JsonObject?)body?.DeepClone() ?? [];
        options["kind"] = "DeleteOptions";
        options["apiVersion"] = "meta.k8s.io/v1";
        return options;
    }

    private static void AddWarnings(HttpContext context, List<string> warnings)
    {
        foreach (var warning in warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }
}
