using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApiKeyOperator.Hosting.Logging;

/// <summary>
/// One log call as controller-runtime's zap logger shapes it: level, logger, rendered message, and one flat set of
/// fields — the scopes' values first (controller, namespace, name, reconcileID), then the message's own values under
/// camelCase keys, then <c>error</c> (and <c>stacktrace</c> at error level). No <c>{OriginalFormat}</c>, no nesting.
/// </summary>
public sealed record StructuredLogEntry(LogLevel Level, string Logger, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields)
{
    /// <summary>Keys the formatters write themselves; a value of the same name is renamed with a trailing '_'.</summary>
    public static readonly IReadOnlySet<string> ReservedKeys = new HashSet<string>(StringComparer.Ordinal) { "level", "ts", "logger", "msg", "stacktrace" };

    public static StructuredLogEntry From<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopes)
    {
        var fields = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        var unnamedScopes = new List<string>();
        scopes?.ForEachScope(
            (scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    Add(fields, pairs);
                }
                else if (scope is not null)
                {
                    unnamedScopes.Add(LogValue.ToText(scope));
                }
            },
            (object?)null);
        if (unnamedScopes.Count > 0)
        {
            fields["scope"] = unnamedScopes;
        }

        var message = entry.Formatter(entry.State, null) ?? string.Empty;
        if (entry.State is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            if (values.FirstOrDefault(v => v.Key == MessageTemplate.OriginalFormatKey).Value is string template)
            {
                message = MessageTemplate.Render(template, values);
            }

            Add(fields, values);
        }

        if (entry.Exception is { } exception)
        {
            fields["error"] = ErrorText(exception);
            if (entry.LogLevel >= LogLevel.Error)
            {
                fields["stacktrace"] = exception.ToString();
            }
        }

        return new StructuredLogEntry(entry.LogLevel, entry.Category, message, [.. fields]);
    }

    /// <summary>zap's level names.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };

    /// <summary>The exception's messages outermost first, joined the way Go wraps errors ("outer: inner"), on one line.</summary>
    public static string ErrorText(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var line = OneLine(e.Message);
            if (line.Length > 0 && !messages.Contains(line))
            {
                messages.Add(line);
            }
        }

        return string.Join(": ", messages);
    }

    private static void Add(OrderedDictionary<string, object?> fields, IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            if (key == MessageTemplate.OriginalFormatKey || string.IsNullOrEmpty(key))
            {
                continue;
            }

            var name = char.ToLowerInvariant(key[0]) + key[1..];
            fields[ReservedKeys.Contains(name) ? name + "_" : name] = value;
        }
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
