using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using ApiKeyOperator.Api;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Api;

/// <summary>Keeps the C# types and the CRD schemas in agreement, so neither drifts from the other.</summary>
public sealed class CrdSchemaAgreementTests
{
    public static TheoryData<string, Type> Kinds => new()
    {
        { "apikeyoperator.io_apikeys.yaml", typeof(ApiKey) },
        { "apikeyoperator.io_apikeyrotations.yaml", typeof(ApiKeyRotation) },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Spec_and_status_properties_match_the_schema(string file, Type kind)
    {
        var schema = CrdSchema.Load(file);
        var errors = new List<string>();

        foreach (var section in new[] { "spec", "status" })
        {
            var property = JsonProperties(kind)[section];
            CompareObject(property.PropertyType, CrdSchema.Property(schema, section)!, section, errors);
        }

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_schema_field_has_a_description(string file, Type kind)
    {
        _ = kind;
        var missing = new List<string>();
        CollectUndescribed(CrdSchema.Load(file), "", missing);

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Spec_defaults_match_the_csharp_defaults(string file, Type kind)
    {
        var schema = CrdSchema.Property(CrdSchema.Load(file), "spec")!;
        var spec = JsonProperties(kind)["spec"].PropertyType;
        var errors = new List<string>();

        CompareDefaults(Activator.CreateInstance(spec)!, schema, "spec", errors);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("apikeyoperator.io_apikeys.yaml", "spec.format", typeof(KeyFormats))]
    [InlineData("apikeyoperator.io_apikeys.yaml", "spec.rollout.targets[].kind", typeof(WorkloadKinds))]
    [InlineData("apikeyoperator.io_apikeys.yaml", "status.keys[].state", typeof(KeyStates))]
    [InlineData("apikeyoperator.io_apikeyrotations.yaml", "spec.strategy", typeof(RotationStrategies))]
    [InlineData("apikeyoperator.io_apikeyrotations.yaml", "status.phase", typeof(RotationPhases))]
    [InlineData("apikeyoperator.io_apikeyrotations.yaml", "status.targets[].kind", typeof(WorkloadKinds))]
    public void Schema_enums_match_the_csharp_constants(string file, string path, Type constants)
    {
        var schema = CrdSchema.Load(file);
        foreach (var segment in path.Split('.'))
        {
            schema = CrdSchema.Property(schema, segment.TrimEnd('[', ']'))!;
            if (segment.EndsWith("[]", StringComparison.Ordinal))
            {
                schema = CrdSchema.Child(schema, "items");
            }
        }

        var crdValues = ((YamlSequenceNode)schema.Children[new YamlScalarNode("enum")]).Children.Select(n => ((YamlScalarNode)n).Value).Order();
        var csharpValues = constants.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string?)f.GetRawConstantValue())
            .Order();
        Assert.Equal(csharpValues, crdValues);
    }

    [Fact]
    public void The_comparison_notices_drift()
    {
        var errors = new List<string>();
        var schema = CrdSchema.Property(CrdSchema.Load("apikeyoperator.io_apikeys.yaml"), "spec")!;

        CompareObject(typeof(RolloutTarget), schema, "spec", errors);

        Assert.Contains(errors, e => e.Contains("spec.secretName") && e.Contains("missing in C#"));
        Assert.Contains(errors, e => e.Contains("spec.kind") && e.Contains("missing in the CRD"));
    }

    private static Dictionary<string, PropertyInfo> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.Property);

    private static void CompareObject(Type type, YamlMappingNode schema, string path, List<string> errors)
    {
        if (CrdSchema.Scalar(schema, "type") != "object")
        {
            errors.Add($"{path}: C# {type.Name} is an object, the CRD says {CrdSchema.Scalar(schema, "type")}");
            return;
        }

        var csharp = JsonProperties(type);
        var crd = CrdSchema.PropertyNames(schema).ToHashSet();
        errors.AddRange(crd.Except(csharp.Keys).Select(n => $"{path}.{n}: in the CRD, missing in C# {type.Name}"));
        errors.AddRange(csharp.Keys.Except(crd).Select(n => $"{path}.{n}: in C# {type.Name}, missing in the CRD"));
        foreach (var name in csharp.Keys.Intersect(crd))
        {
            CompareType(csharp[name].PropertyType, CrdSchema.Property(schema, name)!, $"{path}.{name}", errors);
        }
    }

    private static void CompareType(Type type, YamlMappingNode schema, string path, List<string> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var crdType = CrdSchema.Scalar(schema, "type");
        var dictionary = GenericArgument(type, typeof(IDictionary<,>), 1);
        var list = GenericArgument(type, typeof(IEnumerable<>), 0);
        (string Type, string? Format)? expected = type switch
        {
            _ when type == typeof(string) => ("string", null),
            _ when type == typeof(DateTime) => ("string", "date-time"),
            _ when type == typeof(bool) => ("boolean", null),
            _ when type == typeof(int) => ("integer", "int32"),
            _ when type == typeof(long) => ("integer", "int64"),
            _ => null,
        };
        if (expected is { } scalar)
        {
            if (crdType != scalar.Type || (scalar.Format == "date-time") != (CrdSchema.Scalar(schema, "format") == "date-time"))
            {
                errors.Add($"{path}: C# {type.Name} but the CRD says {crdType}/{CrdSchema.Scalar(schema, "format")}");
            }
        }
        else if (dictionary is not null)
        {
            if (crdType != "object" || !CrdSchema.Has(schema, "additionalProperties"))
            {
                errors.Add($"{path}: C# map but the CRD says {crdType} without additionalProperties");
            }
            else
            {
                CompareType(dictionary, CrdSchema.Child(schema, "additionalProperties"), path + "{}", errors);
            }
        }
        else if (list is not null)
        {
            if (crdType != "array")
            {
                errors.Add($"{path}: C# list but the CRD says {crdType}");
            }
            else
            {
                CompareType(list, CrdSchema.Child(schema, "items"), path + "[]", errors);
            }
        }
        else
        {
            CompareObject(type, schema, path, errors);
        }
    }

    private static Type? GenericArgument(Type type, Type openGeneric, int index)
    {
        if (type == typeof(string))
        {
            return null;
        }

        var match = (type.IsGenericType && type.GetGenericTypeDefinition() == openGeneric ? type : null)
            ?? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == openGeneric);
        return match?.GetGenericArguments()[index];
    }

    private static void CompareDefaults(object instance, YamlMappingNode schema, string path, List<string> errors)
    {
        foreach (var (name, property) in JsonProperties(instance.GetType()))
        {
            var propertySchema = CrdSchema.Property(schema, name);
            if (propertySchema is null)
            {
                continue; // reported by the agreement test
            }

            var value = property.GetValue(instance);
            var fieldPath = $"{path}.{name}";
            var hasDefault = CrdSchema.Has(propertySchema, "default");
            switch (value)
            {
                case null or "" or (IEnumerable and not string):
                    if (hasDefault)
                    {
                        errors.Add($"{fieldPath}: the CRD defaults it, C# leaves it unset");
                    }

                    break;
                case string or bool or int or long:
                    var expected = value is bool b ? (b ? "true" : "false") : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    var actual = hasDefault ? CrdSchema.Scalar(propertySchema, "default") : null;
                    if (actual != expected)
                    {
                        errors.Add($"{fieldPath}: C# default {expected}, CRD default {actual ?? "(none)"}");
                    }

                    break;
                default:
                    if (!hasDefault || CrdSchema.Child(propertySchema, "default").Children.Count != 0)
                    {
                        errors.Add($"{fieldPath}: C# creates it by default, the CRD needs default: {{}} so nested defaults apply");
                    }

                    CompareDefaults(value, propertySchema, fieldPath, errors);
                    break;
            }
        }
    }

    private static void CollectUndescribed(YamlMappingNode schema, string path, List<string> missing)
    {
        foreach (var name in CrdSchema.PropertyNames(schema))
        {
            var property = CrdSchema.Property(schema, name)!;
            var fieldPath = path + "." + name;
            if (name != "metadata" && !CrdSchema.Has(property, "description"))
            {
                missing.Add(fieldPath);
            }

            CollectUndescribed(property, fieldPath, missing);
            if (CrdSchema.Has(property, "items"))
            {
                CollectUndescribed(CrdSchema.Child(property, "items"), fieldPath + "[]", missing);
            }
        }
    }
}
