using System.Text.Json.Nodes;
using KubeSim.Cel;

namespace KubeSim;

/// <summary>
/// The built-in validation kube-apiserver applies to every object on create and update (before validating
/// webhooks): metadata labels and annotations, generateName, and per-kind rules (webhook configurations).
/// Returns the object defaulted, or throws 422 Invalid with one cause per problem.
/// </summary>
internal static class ObjectValidation
{
    public static JsonObject Admit(ResourceDefinition def, JsonObject obj, JsonObject? old, string? subresource, CelRuleEvaluator cel)
    {
        if (subresource is not null)
        {
            // Status (and scale) writes change nothing the metadata rules look at.
            return obj;
        }

        var causes = new List<(string Reason, string Message, string Field)>();
        MetadataValidation.Validate(obj, causes);
        if (old is null && ObjectMeta.Name(obj).Length == 0 && ObjectMeta.Get(obj, "generateName") is { Length: > 0 } prefix
            && Names.Problem(def, prefix.EndsWith('-') ? prefix[..^1] : prefix) is { } problem)
        {
            causes.Add(("FieldValueInvalid", $"Invalid value: {GoQuote.Quote(prefix)}: {problem}", "metadata.generateName"));
        }

        if (CrdLifecycle.Is(def))
        {
            // CEL rules that do not compile are refused when the CRD is written, not when an object is.
            foreach (var (version, index) in (obj["spec"]?["versions"] as JsonArray ?? []).Select((v, i) => (v, i)))
            {
                if (version?["schema"]?["openAPIV3Schema"] is JsonObject schema)
                {
                    foreach (var (field, message) in cel.CompileErrors(schema, $"spec.versions[{index}].schema.openAPIV3Schema"))
                    {
                        causes.Add(("FieldValueInvalid", message, field));
                    }
                }
            }
        }

        if (def.Group == AdmissionResources.Group)
        {
            obj = (JsonObject)obj.DeepClone();
            WebhookConfigurationValidation.Apply(def, obj, causes);
        }

        if (causes.Count > 0)
        {
            throw StatusErrors.Invalid(def.Group, def.Kind, ObjectMeta.Name(obj), causes);
        }

        return obj;
    }
}
