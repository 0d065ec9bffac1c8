using System.Text.Json.Nodes;

namespace KubeSim.ManagedFields;

/// <summary>
/// What field management needs to know of a field's type: whether it is atomic, how a list merges (and by which
/// keys), whether an object's keys are declared fields or map entries, and the types below it.
/// </summary>
internal abstract class FieldType
{
    /// <summary>An atomic object is replaced and owned whole (lists say so through <see cref="ListType"/>).</summary>
    public abstract bool Atomic { get; }

    public abstract ListType ListType { get; }

    public abstract IReadOnlyList<string> ListKeys { get; }

    /// <summary>True when the object's keys are map entries (additionalProperties), not declared fields.</summary>
    public abstract bool IsMap { get; }

    public abstract FieldType Field(string name);

    public abstract FieldType Items { get; }

    /// <summary>The type of a resource's objects: the CRD schema, or the built-in list semantics.</summary>
    public static FieldType For(ResourceDefinition definition) =>
        definition.IsCustom ? new SchemaFieldType(definition.Schema) : BuiltInFieldType.Root;

    /// <summary>The path element of one list item, or null when it cannot be keyed (then the list is treated as atomic).</summary>
    public string? ItemElement(JsonNode? item) => ListType switch
    {
        ListType.Map when item is JsonObject obj && ListKeys.All(k => PathElements.KeyValue(obj, k) is not null) => PathElements.Key(obj, ListKeys),
        ListType.Set when item is JsonValue => PathElements.Value(item),
        _ => null,
    };
}
