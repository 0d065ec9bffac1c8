using System.Collections;
using System.Globalization;
using System.Text.Json;
using ApiKeyOperator.Api;

namespace ApiKeyOperator.Hosting.Logging;

/// <summary>
/// How a structured log value is written, in the message and as a field: durations as Go durations (<c>800ms</c>,
/// <c>400d</c>), times as RFC 3339 UTC, numbers and booleans as JSON numbers and booleans, sequences as arrays.
/// </summary>
public static class LogValue
{
    private const int MaxItems = 100;

    public static string ToText(object? value, string? format = null) => value switch
    {
        null => "<nil>",
        string s => s,
        TimeSpan t => GoDuration.FormatCompact(t),
        DateTime d => Rfc3339(d),
        DateTimeOffset d => Rfc3339(d.UtcDateTime),
        IEnumerable sequence => string.Join(", ", Items(sequence).Select(item => ToText(item))),
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case double or float when Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case string or TimeSpan or DateTime or DateTimeOffset:
                writer.WriteStringValue(ToText(value));
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in Items(sequence))
                {
                    Write(writer, item is IEnumerable and not string ? ToText(item) : item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(ToText(value));
                break;
        }
    }

    private static IEnumerable<object?> Items(IEnumerable sequence) => sequence.Cast<object?>().Take(MaxItems);

    private static string Rfc3339(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }
}
