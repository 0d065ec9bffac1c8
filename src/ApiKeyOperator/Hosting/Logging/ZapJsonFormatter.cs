using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ApiKeyOperator.Hosting.Logging;

/// <summary>
/// <c>--log-format=json</c>: one flat JSON object per line with controller-runtime's (zap production) keys:
/// <c>level</c>, <c>ts</c> (Unix epoch seconds as a float, zap's default), <c>logger</c>, <c>msg</c>, then the
/// fields of <see cref="StructuredLogEntry"/> (<c>controller</c>, <c>namespace</c>, <c>name</c>, <c>reconcileID</c>,
/// <c>error</c>, …).
/// </summary>
public sealed class ZapJsonFormatter(TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "zap-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var entry = StructuredLogEntry.From(logEntry, scopeProvider);
        textWriter.Write(Format(entry, time.GetUtcNow()));
        textWriter.Write('\n');
    }

    /// <summary>The JSON line (without its newline) for <paramref name="entry"/> logged at <paramref name="at"/>.</summary>
    public static string Format(StructuredLogEntry entry, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("level", StructuredLogEntry.LevelName(entry.Level));
            writer.WriteNumber("ts", EpochSeconds(at));
            writer.WriteString("logger", entry.Logger);
            writer.WriteString("msg", entry.Message);
            foreach (var (key, value) in entry.Fields)
            {
                writer.WritePropertyName(key);
                LogValue.Write(writer, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Seconds since the Unix epoch with the fraction down to the microsecond, as zap's EpochTimeEncoder writes.</summary>
    public static double EpochSeconds(DateTimeOffset at) =>
        Math.Round((at.UtcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond, 6);
}
