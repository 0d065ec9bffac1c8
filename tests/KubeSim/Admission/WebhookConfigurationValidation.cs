using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// Defaulting and validation of Mutating/ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1), as
/// kube-apiserver applies them: failurePolicy Fail, matchPolicy Equivalent, timeoutSeconds 10, empty selectors,
/// rule scope "*", service port 443, reinvocationPolicy Never; names with three or more segments, v1 review
/// versions, sideEffects None/NoneOnDryRun, exactly one of url/service (https only), timeouts of 1–30 seconds.
/// </summary>
internal static class WebhookConfigurationValidation
{
    public static void Apply(ResourceDefinition def, JsonObject obj, List<(string Reason, string Message, string Field)> causes)
    {
        var mutating = def.Id == AdmissionResources.Mutating.Id;
        var webhooks = obj["webhooks"] as JsonArray ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < webhooks.Count; i++)
        {
            var path = $"webhooks[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (webhooks[i] is not JsonObject webhook)
            {
                causes.Add(("FieldValueRequired", "Required value", path));
                continue;
            }

            Default(webhook, mutating);
            var name = Text(webhook["name"]) ?? "";
            if (name.Length == 0)
            {
                causes.Add(("FieldValueRequired", "Required value", $"{path}.name"));
            }
            else if (name.Split('.').Length < 3 || MetadataValidation.QualifiedNameProblems(name).Any())
            {
                causes.Add(("FieldValueInvalid", $"Invalid value: \"{name}\": should be a domain with at least three segments separated by dots", $"{path}.name"));
            }
            else if (!seen.Add(name))
            {
                causes.Add(("FieldValueDuplicate", $"Duplicate value: \"{name}\"", $"{path}.name"));
            }

            var versions = (webhook["admissionReviewVersions"] as JsonArray ?? []).Select(Text).ToList();
            if (versions.Count == 0)
            {
                causes.Add(("FieldValueRequired", "Required value: must specify one of v1, v1beta1", $"{path}.admissionReviewVersions"));
            }
            else if (!versions.Any(v => v is "v1" or "v1beta1"))
            {
                causes.Add(("FieldValueInvalid", "Invalid value: []string{" + string.Join(", ", versions.Select(v => $"\"{v}\"")) + "}: must include at least one of v1, v1beta1", $"{path}.admissionReviewVersions"));
            }

            var sideEffects = Text(webhook["sideEffects"]);
            if (sideEffects is null)
            {
                causes.Add(("FieldValueRequired", "Required value: must specify one of None, NoneOnDryRun", $"{path}.sideEffects"));
            }
            else if (sideEffects is not ("None" or "NoneOnDryRun"))
            {
                causes.Add(("FieldValueNotSupported", $"Unsupported value: \"{sideEffects}\": supported values: \"None\", \"NoneOnDryRun\"", $"{path}.sideEffects"));
            }

            var policy = Text(webhook["failurePolicy"]);
            if (policy is not ("Fail" or "Ignore"))
            {
                causes.Add(("FieldValueNotSupported", $"Unsupported value: \"{policy}\": supported values: \"Fail\", \"Ignore\"", $"{path}.failurePolicy"));
            }

            if (webhook["timeoutSeconds"] is JsonValue t && t.TryGetValue<int>(out var timeout) && timeout is < 1 or > 30)
            {
                causes.Add(("FieldValueInvalid", $"Invalid value: {timeout}: the timeout value must be between 1 and 30 seconds", $"{path}.timeoutSeconds"));
            }

            ValidateClientConfig(webhook["clientConfig"] as JsonObject, $"{path}.clientConfig", causes);
            ValidateRules(webhook["rules"] as JsonArray ?? [], $"{path}.rules", causes);
        }
    }

    private static void Default(JsonObject webhook, bool mutating)
    {
        webhook["failurePolicy"] ??= "Fail";
        webhook["matchPolicy"] ??= "Equivalent";
        webhook["namespaceSelector"] ??= new JsonObject();
        webhook["objectSelector"] ??= new JsonObject();
        webhook["timeoutSeconds"] ??= 10;
        if (mutating)
        {
            webhook["reinvocationPolicy"] ??= "Never";
        }

        if (webhook["clientConfig"]?["service"] is JsonObject service)
        {
            service["port"] ??= 443;
        }

        foreach (var rule in (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            rule["scope"] ??= "*";
        }
    }

    private static void ValidateClientConfig(JsonObject? config, string path, List<(string, string, string)> causes)
    {
        var url = Text(config?["url"]);
        var service = config?["service"] as JsonObject;
        if ((url is null) == (service is null))
        {
            causes.Add(("FieldValueRequired", "Required value: exactly one of url or service is required", path));
            return;
        }

        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                causes.Add(("FieldValueInvalid", $"Invalid value: \"{url}\": host must be specified", $"{path}.url"));
            }
            else if (uri.Scheme != "https")
            {
                causes.Add(("FieldValueInvalid", $"Invalid value: \"{uri.Scheme}\": 'https' is the only allowed URL scheme", $"{path}.url"));
            }
        }
        else
        {
            if (Text(service!["name"]) is not { Length: > 0 })
            {
                causes.Add(("FieldValueRequired", "Required value: service name is required", $"{path}.service.name"));
            }

            if (Text(service["namespace"]) is not { Length: > 0 })
            {
                causes.Add(("FieldValueRequired", "Required value: service namespace is required", $"{path}.service.namespace"));
            }

            if (Text(service["path"]) is { } servicePath && !servicePath.StartsWith('/'))
            {
                causes.Add(("FieldValueInvalid", $"Invalid value: \"{servicePath}\": must start with a '/'", $"{path}.service.path"));
            }
        }
    }

    private static void ValidateRules(JsonArray rules, string path, List<(string, string, string)> causes)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rulePath = $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var operations = (rules[i]?["operations"] as JsonArray ?? []).Select(Text).ToList();
            foreach (var op in operations.Where(o => o is not ("*" or "CREATE" or "UPDATE" or "DELETE" or "CONNECT")))
            {
                causes.Add(("FieldValueNotSupported", $"Unsupported value: \"{op}\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\"", $"{rulePath}.operations"));
            }

            if ((rules[i]?["resources"] as JsonArray ?? []).Count == 0)
            {
                causes.Add(("FieldValueRequired", "Required value", $"{rulePath}.resources"));
            }

            if (Text(rules[i]?["scope"]) is { } scope && scope is not ("*" or "Cluster" or "Namespaced"))
            {
                causes.Add(("FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"*\", \"Cluster\", \"Namespaced\"", $"{rulePath}.scope"));
            }
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
