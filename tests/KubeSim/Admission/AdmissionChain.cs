using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSim.Patching;

namespace KubeSim;

/// <summary>
/// Calls the admission webhooks for a write, in kube-apiserver's order: every matching mutating webhook (by
/// configuration name, then in order), each seeing the previous one's patch; later, after schema validation,
/// every matching validating webhook in parallel. Denials, failures (under failurePolicy) and warnings come out
/// as the API server reports them.
/// </summary>
internal sealed class AdmissionChain(ObjectStore store, WebhookCaller caller)
{
    private static readonly ResourceId Namespaces = new("", "v1", "namespaces");

    /// <summary>Runs the mutating webhooks; returns the (possibly patched) object.</summary>
    public async Task<JsonObject?> MutateAsync(AdmissionAttributes request, ICollection<string> warnings, CancellationToken ct)
    {
        if (AdmissionResources.IsExempt(request.Definition))
        {
            return request.Object;
        }

        var current = request;
        foreach (var webhook in Matching(AdmissionResources.Mutating, current))
        {
            var response = await InvokeAsync(webhook, current, mutating: true, ct).ConfigureAwait(false);
            if (response is null)
            {
                continue;
            }

            Collect(response, warnings);
            if (response["patch"] is JsonValue patchValue && patchValue.TryGetValue<string>(out var encoded) && encoded.Length > 0 && current.Object is not null)
            {
                current = current with { Object = ApplyPatch(Name(webhook), encoded, current.Object) };
            }
        }

        return current.Object;
    }

    /// <summary>Runs the validating webhooks (in parallel); throws the first denial or failure in webhook order.</summary>
    public async Task ValidateAsync(AdmissionAttributes request, ICollection<string> warnings, CancellationToken ct)
    {
        if (AdmissionResources.IsExempt(request.Definition))
        {
            return;
        }

        var calls = Matching(AdmissionResources.Validating, request).Select(w => InvokeSafelyAsync(w, request, ct)).ToList();
        var outcomes = await Task.WhenAll(calls).ConfigureAwait(false);
        foreach (var (response, error) in outcomes)
        {
            if (response is not null)
            {
                Collect(response, warnings);
            }

            if (error is not null)
            {
                throw error;
            }
        }
    }

    /// <summary>Whether any webhook configuration exists (writes skip the admission round-trips otherwise).</summary>
    public bool HasWebhooks() =>
        store.List(AdmissionResources.Mutating.Id, null).Count > 0 || store.List(AdmissionResources.Validating.Id, null).Count > 0;

    private async Task<(JsonObject? Response, ApiException? Error)> InvokeSafelyAsync(JsonObject webhook, AdmissionAttributes request, CancellationToken ct)
    {
        try
        {
            return (await InvokeAsync(webhook, request, mutating: false, ct).ConfigureAwait(false), null);
        }
        catch (ApiException ex)
        {
            return (null, ex);
        }
    }

    // One webhook: call it, check its answer, apply failurePolicy; null when a failure is ignored.
    private async Task<JsonObject?> InvokeAsync(JsonObject webhook, AdmissionAttributes request, bool mutating, CancellationToken ct)
    {
        var name = Name(webhook);
        var sideEffects = Text(webhook["sideEffects"]) ?? "Unknown";
        if (request.DryRun && sideEffects is not ("None" or "NoneOnDryRun"))
        {
            throw StatusErrors.BadRequest($"admission webhook \"{name}\" does not support dry run");
        }

        var ignore = Text(webhook["failurePolicy"]) == "Ignore";
        try
        {
            var versions = (webhook["admissionReviewVersions"] as JsonArray ?? []).Select(Text).ToList();
            if (!versions.Contains("v1"))
            {
                throw new WebhookCallException(name, "webhook does not accept known AdmissionReview versions (v1, v1beta1)");
            }

            var uid = Guid.NewGuid().ToString();
            var timeout = webhook["timeoutSeconds"] is JsonValue t && t.TryGetValue<int>(out var seconds) ? seconds : 10;
            var answer = await caller.CallAsync(name, webhook["clientConfig"] as JsonObject ?? [], timeout, Review(uid, request), ct).ConfigureAwait(false);
            var response = Verify(name, uid, mutating, answer);
            if (response["allowed"] is not JsonValue allowed || !allowed.TryGetValue<bool>(out var ok) || !ok)
            {
                throw Denied(name, response["status"] as JsonObject);
            }

            return response;
        }
        catch (WebhookCallException ex) when (ignore)
        {
            _ = ex;
            return null;
        }
        catch (WebhookCallException ex)
        {
            throw StatusErrors.Internal($"Internal error occurred: {ex.Message}");
        }
    }

    private static JsonObject Verify(string name, string uid, bool mutating, JsonObject answer)
    {
        string Invalid(string why) => throw new WebhookCallException(name, $"received invalid webhook response: {why}");
        if (answer["response"] is not JsonObject response)
        {
            Invalid("webhook response was absent");
            return [];
        }

        var got = Text(response["uid"]) ?? "";
        if (got != uid)
        {
            Invalid($"expected response.uid=\"{uid}\", got \"{got}\"");
        }

        if (Text(answer["apiVersion"]) != "admission.k8s.io/v1" || Text(answer["kind"]) != "AdmissionReview")
        {
            Invalid($"expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got {Text(answer["apiVersion"])}, Kind={Text(answer["kind"])}");
        }

        var hasPatch = Text(response["patch"]) is { Length: > 0 };
        var patchType = response["patchType"];
        if (!mutating)
        {
            if (hasPatch)
            {
                Invalid("validating webhook may not return response.patch");
            }

            if (patchType is not null)
            {
                Invalid("validating webhook may not return response.patchType");
            }
        }
        else if (hasPatch && patchType is null)
        {
            Invalid("webhook returned response.patch but not response.patchType");
        }
        else if (!hasPatch && patchType is not null)
        {
            Invalid("webhook returned response.patchType but not response.patch");
        }
        else if (patchType is not null && Text(patchType) != "JSONPatch")
        {
            throw new WebhookCallException(name, $"unsupported patch type \"{Text(patchType)}\"");
        }

        return response;
    }

    // A patch that does not decode or apply is the webhook's bug whatever failurePolicy says: 500.
    private static JsonObject ApplyPatch(string name, string encoded, JsonObject target)
    {
        try
        {
            var operations = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded))) as JsonArray
                ?? throw new PatchException("a JSON patch must be an array of operations");
            return JsonPatch.Apply(target, operations) as JsonObject ?? throw new PatchException("the patch did not produce an object");
        }
        catch (Exception ex) when (ex is FormatException or JsonException or PatchException)
        {
            throw StatusErrors.Internal($"Internal error occurred: admission webhook \"{name}\" returned a patch that could not be applied: {ex.Message}");
        }
    }

    // kube-apiserver's webhookerrors.ToStatusErr.
    private static ApiException Denied(string name, JsonObject? status)
    {
        var deniedBy = $"admission webhook \"{name}\" denied the request";
        var code = status?["code"] is JsonValue c && c.TryGetValue<int>(out var n) && n >= 400 ? n : 400;
        var message = Text(status?["message"]) is { Length: > 0 } m ? $"{deniedBy}: {m}"
            : Text(status?["reason"]) is { Length: > 0 } r ? $"{deniedBy}: {r}"
            : $"{deniedBy} without explanation";
        return new ApiException(code, Text(status?["reason"]) ?? "", message) { Details = status?["details"]?.DeepClone() as JsonObject };
    }

    private static void Collect(JsonObject response, ICollection<string> warnings)
    {
        foreach (var warning in (response["warnings"] as JsonArray ?? []).Select(Text).OfType<string>())
        {
            warnings.Add(warning);
        }
    }

    private IEnumerable<JsonObject> Matching(ResourceDefinition configurations, AdmissionAttributes request)
    {
        IReadOnlyDictionary<string, string>? namespaceLabels = null;
        if (request.Definition.Namespaced && request.Namespace is { Length: > 0 } ns && store.Get(Namespaces, null, ns) is { } namespaceObject)
        {
            namespaceLabels = ObjectMeta.Labels(namespaceObject);
        }

        return store.List(configurations.Id, null)
            .SelectMany(c => (c["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(w => WebhookMatcher.Matches(w, request, namespaceLabels))
            .ToList();
    }

    private static JsonObject Review(string uid, AdmissionAttributes request)
    {
        var def = request.Definition;
        var kind = new JsonObject { ["group"] = def.Group, ["version"] = def.Version, ["kind"] = def.Kind };
        var resource = new JsonObject { ["group"] = def.Group, ["version"] = def.Version, ["resource"] = def.Plural };
        var user = request.User;
        var body = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = kind,
            ["resource"] = resource,
            ["requestKind"] = kind.DeepClone(),
            ["requestResource"] = resource.DeepClone(),
            ["name"] = request.Name,
            ["operation"] = request.OperationName,
            ["userInfo"] = new JsonObject
            {
                ["username"] = user.Username,
                ["uid"] = user.Uid,
                ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)JsonValue.Create(g))]),
                ["extra"] = new JsonObject(user.Extra.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray([.. kv.Value.Select(v => (JsonNode)JsonValue.Create(v))])))),
            },
            ["object"] = request.Object?.DeepClone(),
            ["oldObject"] = request.OldObject?.DeepClone(),
            ["dryRun"] = request.DryRun,
            ["options"] = request.Options?.DeepClone(),
        };
        if (request.Subresource is { } sub)
        {
            body["subResource"] = sub;
            body["requestSubResource"] = sub;
        }

        if (request.Namespace is { Length: > 0 } ns)
        {
            body["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = body };
    }

    private static string Name(JsonObject webhook) => Text(webhook["name"]) ?? "";

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
