using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// Writes a JSON value as a Lua table constructor, the shape Argo CD hands a health script as `obj`:
/// objects become keyed tables, arrays 1-based sequences, numbers floats, null fields are absent.
/// </summary>
public static class LuaLiteral
{
    public static string FromJson(JsonElement value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                foreach (var property in value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
                {
                    builder.Append('[');
                    AppendString(builder, property.Name);
                    builder.Append("]=");
                    Append(builder, property.Value);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('{');
                foreach (var item in value.EnumerateArray())
                {
                    Append(builder, item);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            case JsonValueKind.String:
                AppendString(builder, value.GetString()!);
                break;
            case JsonValueKind.Number:
                // Argo CD's gopher-lua holds every number as a float; written as floats, the numbers reach
                // Lua 5.4 as floats too, so a script that prints one differently there fails here.
                builder.Append(value.GetDouble().ToString("0.0###############", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("nil");
                break;
        }
    }

    // Decimal escapes for everything outside printable ASCII keep the literal valid whatever the input.
    private static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        builder.Append('"');
    }
}
