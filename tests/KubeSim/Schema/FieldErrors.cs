using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim.Schema;

/// <summary>Builds causes with the reasons and message bodies of apimachinery's field errors.</summary>
internal static class FieldErrors
{
    public static SchemaCause Required(string field) => new("FieldValueRequired", "Required value", field);

    public static SchemaCause NotSupported(string field, JsonNode? value, IEnumerable<JsonNode?> supported) =>
        new("FieldValueNotSupported",
            $"Unsupported value: {Format(value)}: supported values: {string.Join(", ", supported.Select(s => Quote(s is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : s?.ToJsonString() ?? "null")))}",
            field);

    public static SchemaCause Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {value}: {detail}", field);

    public static SchemaCause TypeInvalid(string field, string value, string detail) =>
        new("FieldValueTypeInvalid", $"Invalid value: {value}: {detail}", field);

    public static SchemaCause TooLong(string field, long max) =>
        new("FieldValueTooLong", $"Too long: may not be more than {max.ToString(CultureInfo.InvariantCulture)} bytes", field);

    public static SchemaCause TooMany(string field, int actual, long max) =>
        new("FieldValueTooMany", $"Too many: {actual.ToString(CultureInfo.InvariantCulture)}: must have at most {max.ToString(CultureInfo.InvariantCulture)} items", field);

    public static SchemaCause Duplicate(string field, JsonNode? value) =>
        new("FieldValueDuplicate", $"Duplicate value: {Format(value)}", field);

    /// <summary>A repeated key of a list-type map, printed like Go prints the key map.</summary>
    public static SchemaCause DuplicateKey(string field, JsonObject key) =>
        new("FieldValueDuplicate",
            $"Duplicate value: map[string]interface {{}}{{{string.Join(", ", key.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Quote(p.Key)}:{Format(p.Value)}"))}}}",
            field);

    /// <summary>Formats a bad value as Go's field errors do: strings quoted, numbers and booleans bare.</summary>
    public static string Format(JsonNode? value) => value switch
    {
        null => "\"null\"",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Quote(string text) => JsonSerializer.Serialize(text);
}
