using System.Text.Json.Nodes;
using KubeSim.Cel;
using KubeSim.Schema;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>
/// Schema admission of custom resources, as kube-apiserver does it: unknown fields are pruned (or rejected with
/// 400 under fieldValidation=Strict, or reported as Warning headers under the default Warn), defaults applied,
/// and violations rejected with 422 Invalid naming each field.
/// </summary>
internal static class CustomResourceAdmission
{
    /// <summary>
    /// Schema admission of a write, then the CRD's CEL rules (<paramref name="old"/> is the stored object of an
    /// update, for transition rules).
    /// </summary>
    public static JsonObject Admit(HttpContext context, ResourceDefinition definition, JsonObject obj, JsonObject? old, CelRuleEvaluator cel)
    {
        if (!definition.IsCustom || definition.Schema is null)
        {
            return obj;
        }

        var mode = HttpIo.Query(context, "fieldValidation") ?? "Warn";
        var strict = mode.Equals("Strict", StringComparison.OrdinalIgnoreCase);
        var result = SchemaValidator.Validate(obj, definition.Schema, strict);
        if (result.UnknownFields.Count > 0)
        {
            var unknown = result.UnknownFields.Select(f => $"unknown field \"{f}\"").ToList();
            if (strict)
            {
                throw StatusErrors.BadRequest("strict decoding error: " + string.Join(", ", unknown));
            }

            if (!mode.Equals("Ignore", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var warning in unknown)
                {
                    context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
                }
            }
        }

        var causes = result.Causes.Count > 0 ? result.Causes : cel.Validate(result.Object, old, definition.Schema);
        if (causes.Count > 0)
        {
            throw StatusErrors.Invalid(definition.Group, definition.Kind, ObjectMeta.Name(obj), [.. causes.Select(c => (c.Reason, c.Message, c.Field))]);
        }

        return result.Object;
    }
}
