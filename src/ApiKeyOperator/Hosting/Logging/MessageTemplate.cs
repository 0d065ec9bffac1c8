using System.Globalization;
using System.Text;

namespace ApiKeyOperator.Hosting.Logging;

/// <summary>
/// Renders a message template (<c>retrying in {Backoff}</c>) with its structured values as <see cref="LogValue"/>
/// writes them, so that a TimeSpan reads <c>800ms</c>, not <c>00:00:00.8000000</c>. Placeholders match values by
/// name, as the logging source generator does; <c>{{</c> and <c>}}</c> are literal braces.
/// </summary>
public static class MessageTemplate
{
    public const string OriginalFormatKey = "{OriginalFormat}";

    public static string Render(string template, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var builder = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                builder.Append('{');
                i += 2;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                builder.Append('}');
                i += 2;
            }
            else if (c == '{' && template.IndexOf('}', i + 1) is var end and > 0)
            {
                var hole = template[(i + 1)..end];
                var formatAt = hole.IndexOf(':', StringComparison.Ordinal);
                var name = (formatAt < 0 ? hole : hole[..formatAt]).Split(',')[0].Trim();
                var format = formatAt < 0 ? null : hole[(formatAt + 1)..];
                var found = values.FirstOrDefault(v => string.Equals(v.Key, name, StringComparison.OrdinalIgnoreCase));
                builder.Append(found.Key is null ? $"{{{hole}}}" : LogValue.ToText(found.Value, format));
                i = end + 1;
            }
            else
            {
                builder.Append(c);
                i++;
            }
        }

        return builder.ToString();
    }
}
