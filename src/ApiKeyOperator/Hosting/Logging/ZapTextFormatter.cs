using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ApiKeyOperator.Hosting.Logging;

/// <summary>
/// <c>--log-format=text</c>, for a terminal, like controller-runtime's development console encoder:
/// <c>2026-01-02T03:04:05.678Z  INFO  logger  message  {"controller": …}</c>, tab-separated, and at error level the
/// exception's stack trace on the lines after.
/// </summary>
public sealed class ZapTextFormatter(TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "zap-text";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        textWriter.Write(Format(StructuredLogEntry.From(logEntry, scopeProvider), time.GetUtcNow()));
        textWriter.Write('\n');
    }

    public static string Format(StructuredLogEntry entry, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stack = entry.Fields.FirstOrDefault(f => f.Key == "stacktrace").Value as string;
        var fields = entry.Fields.Where(f => f.Key != "stacktrace").ToList();
        var line = string.Join('\t',
            at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            StructuredLogEntry.LevelName(entry.Level).ToUpperInvariant(),
            entry.Logger,
            entry.Message);
        if (fields.Count > 0)
        {
            line += '\t' + Json(fields);
        }

        return stack is null ? line : line + "\n" + stack;
    }

    private static string Json(List<KeyValuePair<string, object?>> fields)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in fields)
            {
                writer.WritePropertyName(key);
                LogValue.Write(writer, value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
