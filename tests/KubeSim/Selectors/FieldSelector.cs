using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim.Selectors;

/// <summary>
/// A parsed field selector (<c>metadata.name=x,metadata.namespace!=y</c>). A field is a dotted path into the
/// object compared as a string; a missing field reads as the empty string, as the API server's field sets do.
/// Backslash escapes (<c>\,</c> <c>\=</c> <c>\\</c>) in values follow the Go implementation.
/// </summary>
internal sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FieldSelector([]);
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term));
        }

        return new FieldSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Requirements.All(r =>
        {
            var actual = Read(obj, r.Field);
            var equal = string.Equals(actual, r.Value, StringComparison.Ordinal);
            return r.Operator == SelectorOperator.NotEquals ? !equal : equal;
        });
    }

    public override string ToString() => string.Join(',', Requirements.Select(r =>
        $"{r.Field}{(r.Operator == SelectorOperator.NotEquals ? "!=" : "=")}{Escape(r.Value)}"));

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? current = obj;
        foreach (var segment in path.Split('.'))
        {
            current = current is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
            if (current is null)
            {
                return string.Empty;
            }
        }

        return current is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : current.ToJsonString();
    }

    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text, i, 2);
                i++;
            }
            else if (text[i] == ',')
            {
                terms.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        terms.Add(current.ToString());
        return terms;
    }

    private static FieldRequirement ParseTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            if (term[i] == '!' && i + 1 < term.Length && term[i + 1] == '=')
            {
                return Build(term, i, 2, SelectorOperator.NotEquals);
            }

            if (term[i] == '=')
            {
                var width = i + 1 < term.Length && term[i + 1] == '=' ? 2 : 1;
                return Build(term, i, width, SelectorOperator.Equals);
            }
        }

        throw new SelectorParseException($"invalid selector: '{term}'; can't understand '{term}'");
    }

    private static FieldRequirement Build(string term, int index, int width, SelectorOperator op)
    {
        var field = term[..index].Trim();
        if (field.Length == 0)
        {
            throw new SelectorParseException($"invalid selector: '{term}'; field name is empty");
        }

        return new FieldRequirement(field, op, Unescape(term[(index + width)..].Trim(), term));
    }

    private static string Unescape(string value, string term)
    {
        var result = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\')
            {
                if (value[i] is '=' or ',')
                {
                    throw new SelectorParseException($"invalid field selector: '{term}': unescaped '{value[i]}' in value");
                }

                result.Append(value[i]);
                continue;
            }

            if (i + 1 == value.Length || value[i + 1] is not ('\\' or ',' or '='))
            {
                throw new SelectorParseException($"invalid field selector: '{term}': invalid escape sequence");
            }

            result.Append(value[++i]);
        }

        return result.ToString();
    }
}
