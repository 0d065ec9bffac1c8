using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeSim.Schema;

/// <summary>
/// Validates a custom resource against its CRD's openAPIV3Schema the way kube-apiserver does on write:
/// prune unknown fields, apply defaults, then validate. <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> are
/// only checked to be strings/an object. allOf, anyOf, oneOf and not are value validations over the same node;
/// <c>x-kubernetes-validations</c> (CEL) are evaluated afterwards by <see cref="KubeSim.Cel.CelRuleEvaluator"/>.
/// </summary>
internal static class SchemaValidator
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    public static SchemaResult Validate(JsonObject obj, JsonObject openApiV3Schema, bool strict)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(openApiV3Schema);

        // Pruning and defaulting are identical in both modes; under Strict the caller rejects when UnknownFields is non-empty.
        _ = strict;
        var result = (JsonObject)obj.DeepClone();
        var unknown = new List<string>();
        var causes = new List<SchemaCause>();
        SchemaPruner.Prune(result, openApiV3Schema, string.Empty, root: true, unknown);
        SchemaDefaulter.Apply(result, openApiV3Schema, root: true);
        ValidateMetaFields(result, causes);
        ValidateNode(result, openApiV3Schema, string.Empty, root: true, causes);
        return new SchemaResult(result, causes, unknown);
    }

    private static void ValidateMetaFields(JsonObject obj, List<SchemaCause> causes)
    {
        foreach (var field in (string[])["apiVersion", "kind"])
        {
            if (obj.TryGetPropertyValue(field, out var value) && TypeName(value) != "string")
            {
                causes.Add(TypeError(field, "string", value));
            }
        }

        if (obj.TryGetPropertyValue("metadata", out var metadata) && metadata is not JsonObject)
        {
            causes.Add(TypeError("metadata", "object", metadata));
        }
    }

    private static void ValidateNode(JsonNode? node, JsonObject schema, string path, bool root, List<SchemaCause> causes)
    {
        if (node is null)
        {
            var declared = SchemaKeywords.Text(schema, "type");
            if (!SchemaKeywords.Flag(schema, "nullable") && declared is not null)
            {
                causes.Add(TypeError(path, declared, node));
            }

            return;
        }

        if (!CheckType(node, schema, path, causes))
        {
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            causes.Add(FieldErrors.NotSupported(path, node, allowed));
        }

        ValidateCombinators(node, schema, path, root, causes);

        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, root, causes);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, causes);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                ValidateString(value.GetValue<string>(), schema, path, causes);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(value, schema, path, causes);
                break;
        }
    }

    // allOf reports each sub-schema's own errors; anyOf, oneOf and not report one error in go-openapi's words.
    private static void ValidateCombinators(JsonNode node, JsonObject schema, string path, bool root, List<SchemaCause> causes)
    {
        foreach (var sub in (schema["allOf"] as JsonArray ?? []).OfType<JsonObject>())
        {
            ValidateNode(node, sub, path, root, causes);
        }

        var shown = FieldErrors.Format(node is JsonValue ? node : JsonValue.Create(TypeName(node)));
        var subject = path.Length == 0 ? "body" : $"{path} in body";
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.OfType<JsonObject>().Any(sub => Passes(node, sub, path, root)))
        {
            causes.Add(FieldErrors.Invalid(path, shown, $"{subject} must validate at least one schema (anyOf)"));
        }

        if (schema["oneOf"] is JsonArray oneOf && oneOf.OfType<JsonObject>().Count(sub => Passes(node, sub, path, root)) != 1)
        {
            causes.Add(FieldErrors.Invalid(path, shown, $"{subject} must validate one and only one schema (oneOf)"));
        }

        if (schema["not"] is JsonObject not && Passes(node, not, path, root))
        {
            causes.Add(FieldErrors.Invalid(path, shown, $"{subject} must not validate the schema (not)"));
        }
    }

    private static bool Passes(JsonNode node, JsonObject schema, string path, bool root)
    {
        var causes = new List<SchemaCause>();
        ValidateNode(node, schema, path, root, causes);
        return causes.Count == 0;
    }

    private static bool CheckType(JsonNode node, JsonObject schema, string path, List<SchemaCause> causes)
    {
        var actual = TypeName(node);
        if (SchemaKeywords.Flag(schema, "x-kubernetes-int-or-string"))
        {
            if (actual is "integer" or "string")
            {
                return true;
            }

            causes.Add(TypeError(path, "integer,string", node));
            return false;
        }

        var declared = SchemaKeywords.Text(schema, "type");
        if (declared is null || declared == actual || (declared == "number" && actual == "integer"))
        {
            return true;
        }

        causes.Add(TypeError(path, declared, node));
        return false;
    }

    private static void ValidateObject(JsonObject obj, JsonObject schema, string path, bool root, List<SchemaCause> causes)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>())
            {
                if (!obj.ContainsKey(name))
                {
                    causes.Add(FieldErrors.Required(SchemaKeywords.Child(path, name)));
                }
            }
        }

        CheckCount(obj.Count, schema, "minProperties", "maxProperties", "properties", path, causes);
        var properties = SchemaKeywords.Properties(schema);
        var map = SchemaKeywords.AdditionalProperties(schema);
        var skipMeta = SchemaKeywords.IsEmbeddedOrRoot(schema, root);
        foreach (var (key, value) in obj)
        {
            if (skipMeta && SchemaKeywords.RootMetaFields.Contains(key))
            {
                continue;
            }

            if (properties?[key] is JsonObject property)
            {
                ValidateNode(value, property, SchemaKeywords.Child(path, key), root: false, causes);
            }
            else if (map is not null)
            {
                ValidateNode(value, map, SchemaKeywords.Key(path, key), root: false, causes);
            }
        }
    }

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, List<SchemaCause> causes)
    {
        if (SchemaKeywords.Number(schema, "maxItems") is { } max && array.Count > max)
        {
            causes.Add(FieldErrors.TooMany(path, array.Count, (long)max));
        }

        if (SchemaKeywords.Number(schema, "minItems") is { } min && array.Count < min)
        {
            causes.Add(FieldErrors.Invalid(path, FieldErrors.Format(array.Count), $"{path} in body should have at least {Format(min)} items"));
        }

        var items = SchemaKeywords.Items(schema);
        for (var i = 0; i < array.Count; i++)
        {
            if (items is not null)
            {
                ValidateNode(array[i], items, SchemaKeywords.Index(path, i), root: false, causes);
            }

            if (SchemaKeywords.Text(schema, "x-kubernetes-list-type") == "set" && array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
            {
                causes.Add(FieldErrors.Duplicate(SchemaKeywords.Index(path, i), array[i]));
            }
        }

        if (SchemaKeywords.Text(schema, "x-kubernetes-list-type") == "map" && schema["x-kubernetes-list-map-keys"] is JsonArray mapKeys)
        {
            CheckMapKeys(array, [.. mapKeys.Select(k => k?.GetValue<string>()).OfType<string>()], path, causes);
        }
    }

    // A list-type map may hold each combination of its key fields once.
    private static void CheckMapKeys(JsonArray array, List<string> keys, string path, List<SchemaCause> causes)
    {
        var seen = new List<JsonObject>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                continue;
            }

            var identity = new JsonObject(keys.Where(item.ContainsKey).Select(k => KeyValuePair.Create(k, item[k]?.DeepClone())));
            if (seen.Any(s => JsonNode.DeepEquals(s, identity)))
            {
                causes.Add(FieldErrors.DuplicateKey(SchemaKeywords.Index(path, i), identity));
            }
            else
            {
                seen.Add(identity);
            }
        }
    }

    private static void CheckCount(int count, JsonObject schema, string minKeyword, string maxKeyword, string noun, string path, List<SchemaCause> causes)
    {
        if (SchemaKeywords.Number(schema, maxKeyword) is { } max && count > max)
        {
            causes.Add(FieldErrors.Invalid(path, FieldErrors.Format(count), $"{path} in body should have at most {Format(max)} {noun}"));
        }

        if (SchemaKeywords.Number(schema, minKeyword) is { } min && count < min)
        {
            causes.Add(FieldErrors.Invalid(path, FieldErrors.Format(count), $"{path} in body should have at least {Format(min)} {noun}"));
        }
    }

    private static void ValidateString(string text, JsonObject schema, string path, List<SchemaCause> causes)
    {
        // Lengths are counted in runes (code points), as Go's validator does.
        var length = text.EnumerateRunes().Count();
        var quoted = FieldErrors.Quote(text);
        if (SchemaKeywords.Number(schema, "maxLength") is { } max && length > max)
        {
            causes.Add(FieldErrors.TooLong(path, (long)max));
        }

        if (SchemaKeywords.Number(schema, "minLength") is { } min && length < min)
        {
            causes.Add(FieldErrors.Invalid(path, quoted, $"{path} in body should be at least {Format(min)} chars long"));
        }

        if (SchemaKeywords.Text(schema, "pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, PatternTimeout))
        {
            causes.Add(FieldErrors.Invalid(path, quoted, $"{path} in body should match '{pattern}'"));
        }

        if (SchemaKeywords.Text(schema, "format") is { } format && !SchemaFormats.IsValid(format, text))
        {
            causes.Add(FieldErrors.TypeInvalid(path, quoted, $"{path} in body must be of type {format}: {quoted}"));
        }
    }

    private static void ValidateNumber(JsonValue value, JsonObject schema, string path, List<SchemaCause> causes)
    {
        if (SchemaKeywords.Decimal(value) is not { } number)
        {
            return;
        }

        var shown = value.ToJsonString();
        if (SchemaKeywords.Number(schema, "maximum") is { } max)
        {
            var exclusive = SchemaKeywords.Flag(schema, "exclusiveMaximum");
            if (exclusive ? number >= max : number > max)
            {
                causes.Add(FieldErrors.Invalid(path, shown, $"{path} in body should be less than {(exclusive ? string.Empty : "or equal to ")}{Format(max)}"));
            }
        }

        if (SchemaKeywords.Number(schema, "minimum") is { } min)
        {
            var exclusive = SchemaKeywords.Flag(schema, "exclusiveMinimum");
            if (exclusive ? number <= min : number < min)
            {
                causes.Add(FieldErrors.Invalid(path, shown, $"{path} in body should be greater than {(exclusive ? string.Empty : "or equal to ")}{Format(min)}"));
            }
        }

        if (SchemaKeywords.Number(schema, "multipleOf") is { } factor && factor != 0 && number % factor != 0)
        {
            causes.Add(FieldErrors.Invalid(path, shown, $"{path} in body should be a multiple of {Format(factor)}"));
        }
    }

    private static SchemaCause TypeError(string path, string expected, JsonNode? value)
    {
        var actual = FieldErrors.Quote(TypeName(value));
        return FieldErrors.TypeInvalid(path, actual, $"{path} in body must be of type {expected}: {actual}");
    }

    private static string TypeName(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => SchemaKeywords.Decimal(value) is { } d && d == decimal.Truncate(d) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
