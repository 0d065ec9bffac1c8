using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using KubeSim.Schema;

namespace KubeSim.Cel;

/// <summary>
/// Evaluates a CRD schema's <c>x-kubernetes-validations</c> rules at every level, as kube-apiserver does on
/// create and update: <c>self</c> is the value at the rule's node; a transition rule (one naming
/// <c>oldSelf</c>) runs only on update when the old value exists (correlated through object properties, map
/// keys and list-type=map keys), or always with <c>optionalOldSelf</c> (then <c>oldSelf</c> is an optional).
/// Failures come out as the API server's field errors: <c>spec: Invalid value: "object": message</c>, with
/// reason, fieldPath and messageExpression honoured. Compiled rules are cached. Thread-safe.
/// </summary>
internal sealed partial class CelRuleEvaluator
{
    private readonly CelEnvironment environment;
    private readonly ConcurrentDictionary<string, CelProgramDelegate> programs = new(StringComparer.Ordinal);
    private readonly Lock compileGate = new();

    public CelRuleEvaluator()
    {
        environment = new CelEnvironment(null, "");
        KubernetesCelLibrary.Register(environment);
    }

    /// <summary>The causes for every rule the object breaks (empty when all hold).</summary>
    public IReadOnlyList<SchemaCause> Validate(JsonObject obj, JsonObject? old, JsonObject schema)
    {
        var causes = new List<SchemaCause>();
        Walk(obj, old, old is not null, schema, "", root: true, causes);
        return causes;
    }

    /// <summary>The compile errors of every rule in a schema, as (field path, message), for CRD admission.</summary>
    public IEnumerable<(string Field, string Message)> CompileErrors(JsonObject schema, string path)
    {
        foreach (var (rule, index) in Rules(schema).Select((r, i) => (r, i)))
        {
            var text = rule["rule"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
            string? error = null;
            try
            {
                Program(text);
            }
            catch (CelException ex)
            {
                error = ex.Message;
            }

            if (error is not null)
            {
                yield return ($"{path}.x-kubernetes-validations[{index.ToString(CultureInfo.InvariantCulture)}].rule", $"Invalid value: {GoQuote.Quote(text)}: compilation failed: {error}");
            }
        }

        foreach (var (name, child) in SchemaKeywords.Properties(schema)?.Where(p => p.Value is JsonObject) ?? [])
        {
            foreach (var error in CompileErrors((JsonObject)child!, $"{path}.properties[{name}]"))
            {
                yield return error;
            }
        }

        if (SchemaKeywords.Items(schema) is { } items)
        {
            foreach (var error in CompileErrors(items, $"{path}.items"))
            {
                yield return error;
            }
        }

        if (schema["additionalProperties"] is JsonObject map)
        {
            foreach (var error in CompileErrors(map, $"{path}.additionalProperties"))
            {
                yield return error;
            }
        }
    }

    private void Walk(JsonNode? node, JsonNode? old, bool hasOld, JsonObject schema, string path, bool root, List<SchemaCause> causes)
    {
        if (node is null)
        {
            return;
        }

        foreach (var rule in Rules(schema))
        {
            Check(rule, node, old, hasOld, schema, path, root, causes);
        }

        switch (node)
        {
            case JsonObject obj:
                var properties = SchemaKeywords.Properties(schema);
                var map = schema["additionalProperties"] as JsonObject;
                foreach (var (key, value) in obj)
                {
                    if (root && SchemaKeywords.RootMetaFields.Contains(key))
                    {
                        continue;
                    }

                    var child = properties?[key] as JsonObject ?? map;
                    if (child is null)
                    {
                        continue;
                    }

                    var oldObject = old as JsonObject;
                    var childPath = properties?[key] is JsonObject ? SchemaKeywords.Child(path, key) : SchemaKeywords.Key(path, key);
                    Walk(value, oldObject?[key], hasOld && oldObject is not null && oldObject.ContainsKey(key), child, childPath, false, causes);
                }

                break;
            case JsonArray array when SchemaKeywords.Items(schema) is { } items:
                var keys = SchemaKeywords.Text(schema, "x-kubernetes-list-type") == "map" && schema["x-kubernetes-list-map-keys"] is JsonArray k
                    ? k.Select(x => x?.GetValue<string>() ?? "").ToList()
                    : null;
                for (var i = 0; i < array.Count; i++)
                {
                    var previous = keys is not null && old is JsonArray oldArray && array[i] is JsonObject item
                        ? oldArray.OfType<JsonObject>().FirstOrDefault(o => keys.All(key => JsonNode.DeepEquals(o[key], item[key])))
                        : null;
                    Walk(array[i], previous, previous is not null, items, SchemaKeywords.Index(path, i), false, causes);
                }

                break;
        }
    }

    private void Check(JsonObject rule, JsonNode node, JsonNode? old, bool hasOld, JsonObject schema, string path, bool root, List<SchemaCause> causes)
    {
        var text = rule["rule"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        var optional = rule["optionalOldSelf"] is JsonValue o && o.TryGetValue<bool>(out var flag) && flag;
        var transition = OldSelf().IsMatch(text);
        if (transition && !hasOld && !optional)
        {
            return;
        }

        var variables = new Dictionary<string, object?> { ["self"] = CelValues.From(node, schema, root) };
        if (transition)
        {
            var previous = hasOld ? CelValues.From(old, schema, root) : null;
            variables["oldSelf"] = optional ? new CelOptional(hasOld, previous) : previous;
        }

        var type = SchemaKeywords.Text(schema, "type") ?? "object";
        var field = FieldOf(path, rule["fieldPath"] is JsonValue f && f.TryGetValue<string>(out var fp) ? fp : null);
        object? result;
        try
        {
            result = Program(text)(variables);
        }
        catch (Exception ex) when (ex is CelException or InvalidOperationException or ArgumentException or RegexMatchTimeoutException or FormatException or OverflowException or KeyNotFoundException)
        {
            causes.Add(new SchemaCause("FieldValueInvalid", $"Invalid value: \"{type}\": {RuntimeError(ex)} evaluating rule: {text.Trim()}", FieldOf(path, null)));
            return;
        }

        if (result is true)
        {
            return;
        }

        var message = Message(rule, variables) ?? (rule["message"] is JsonValue m && m.TryGetValue<string>(out var msg) && msg.Length > 0 ? msg : $"failed rule: {text.Trim()}");
        var reason = rule["reason"] is JsonValue r && r.TryGetValue<string>(out var why) ? why : "FieldValueInvalid";
        causes.Add(reason switch
        {
            "FieldValueForbidden" => new SchemaCause(reason, $"Forbidden: {message}", field),
            "FieldValueRequired" => new SchemaCause(reason, $"Required value: {message}", field),
            "FieldValueDuplicate" => new SchemaCause(reason, $"Duplicate value: \"{type}\": {message}", field),
            _ => new SchemaCause("FieldValueInvalid", $"Invalid value: \"{type}\": {message}", field),
        });
    }

    // messageExpression wins over message when it evaluates to a non-empty string.
    private string? Message(JsonObject rule, Dictionary<string, object?> variables)
    {
        if (rule["messageExpression"] is not JsonValue e || !e.TryGetValue<string>(out var expression) || expression.Length == 0)
        {
            return null;
        }

        try
        {
            return Program(expression)(variables) is string { Length: > 0 } text ? text : null;
        }
        catch (Exception ex) when (ex is CelException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private CelProgramDelegate Program(string text)
    {
        if (programs.TryGetValue(text, out var program))
        {
            return program;
        }

        // The environment is shared; compile one rule at a time.
        lock (compileGate)
        {
            return programs.GetOrAdd(text, environment.Compile);
        }
    }

    // The Go CEL runtime's wording for the common failures.
    private static string RuntimeError(Exception ex) => ex switch
    {
        CelDivideByZeroException => "division by zero",
        CelModulusByZeroException => "modulus by zero",
        CelArgumentRangeException or ArgumentOutOfRangeException => "index out of bounds",
        CelNoSuchFieldException or KeyNotFoundException => "no such key: " + NoSuchKey().Match(ex.Message) switch { { Success: true } m => m.Groups[1].Value, _ => ex.Message },
        CelOverflowException or OverflowException => "integer overflow",
        CelNoSuchOverloadException => "no such overload",
        _ => ex.Message,
    };

    // kube-apiserver reports root-level rule failures on the nil path.
    private static string FieldOf(string path, string? fieldPath)
    {
        if (!string.IsNullOrEmpty(fieldPath))
        {
            var relative = fieldPath.TrimStart('.');
            return path.Length == 0 ? relative : fieldPath.StartsWith('[') ? path + fieldPath : $"{path}.{relative}";
        }

        return path.Length == 0 ? "<nil>" : path;
    }

    private static IEnumerable<JsonObject> Rules(JsonObject schema) =>
        (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>();

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();

    [GeneratedRegex("field '([^']*)'")]
    private static partial Regex NoSuchKey();
}
