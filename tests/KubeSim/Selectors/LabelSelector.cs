using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeSim.Selectors;

/// <summary>
/// A parsed label selector in the string form of the <c>labelSelector</c> query parameter
/// (<c>a=b,c!=d,e in (f,g),h notin (i),j,!k</c>). Every requirement must match (logical AND).
/// </summary>
internal sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when the selector has no requirements and so matches every object.</summary>
    public bool IsEmpty => Requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new LabelSelector([]);
        }

        var tokens = Tokenize(text);
        var requirements = new List<LabelRequirement>();
        var position = 0;
        while (true)
        {
            requirements.Add(ParseRequirement(tokens, ref position, text));
            if (position == tokens.Count)
            {
                break;
            }

            if (tokens[position] != ",")
            {
                throw new SelectorParseException($"unable to parse requirement: found '{tokens[position]}', expected: ','");
            }

            position++;
            if (position == tokens.Count)
            {
                throw new SelectorParseException($"unable to parse requirement: found '', expected: identifier in \"{text}\"");
            }
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        var actual = labels ?? new Dictionary<string, string>();
        return Requirements.All(r => r.Matches(actual));
    }

    public override string ToString() => string.Join(',', Requirements.Select(Format));

    private static string Format(LabelRequirement r) => r.Operator switch
    {
        SelectorOperator.Equals => $"{r.Key}={r.Values[0]}",
        SelectorOperator.NotEquals => $"{r.Key}!={r.Values[0]}",
        SelectorOperator.In => $"{r.Key} in ({string.Join(',', r.Values)})",
        SelectorOperator.NotIn => $"{r.Key} notin ({string.Join(',', r.Values)})",
        SelectorOperator.Exists => r.Key,
        SelectorOperator.DoesNotExist => "!" + r.Key,
        SelectorOperator.GreaterThan => $"{r.Key}>{r.Values[0]}",
        _ => $"{r.Key}<{r.Values[0]}",
    };

    private static LabelRequirement ParseRequirement(List<string> tokens, ref int position, string text)
    {
        if (tokens[position] == "!")
        {
            position++;
            var negated = ExpectIdentifier(tokens, ref position, text);
            ValidateKey(negated);
            return new LabelRequirement(negated, SelectorOperator.DoesNotExist, []);
        }

        var key = ExpectIdentifier(tokens, ref position, text);
        ValidateKey(key);
        if (position == tokens.Count || tokens[position] == ",")
        {
            return new LabelRequirement(key, SelectorOperator.Exists, []);
        }

        var op = tokens[position++];
        switch (op)
        {
            case "=" or "==" or "!=":
            {
                // An empty value (a=) is legal: the next token is a separator or the end.
                var value = position < tokens.Count && IsIdentifier(tokens[position]) ? tokens[position++] : string.Empty;
                ValidateValue(value);
                return new LabelRequirement(key, op == "!=" ? SelectorOperator.NotEquals : SelectorOperator.Equals, [value]);
            }
            case ">" or "<":
            {
                var value = ExpectIdentifier(tokens, ref position, text);
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    throw new SelectorParseException($"for 'Gt', 'Lt' operators, the value must be an integer: \"{value}\"");
                }

                return new LabelRequirement(key, op == ">" ? SelectorOperator.GreaterThan : SelectorOperator.LessThan, [value]);
            }
            case "in" or "notin":
                return new LabelRequirement(key, op == "in" ? SelectorOperator.In : SelectorOperator.NotIn, ParseSet(tokens, ref position, text));
            default:
                throw new SelectorParseException($"unable to parse requirement: found '{op}', expected: in, notin, =, ==, !=, gt, lt");
        }
    }

    private static List<string> ParseSet(List<string> tokens, ref int position, string text)
    {
        if (position == tokens.Count || tokens[position] != "(")
        {
            throw new SelectorParseException($"found '{(position < tokens.Count ? tokens[position] : string.Empty)}', expected: '(' in \"{text}\"");
        }

        position++;
        var values = new List<string>();
        var expectValue = true;
        while (true)
        {
            if (position == tokens.Count)
            {
                throw new SelectorParseException($"found '', expected: ')' in \"{text}\"");
            }

            var token = tokens[position++];
            if (token == ")")
            {
                if (expectValue)
                {
                    // "(a,)" and "()" carry an empty value, as the Go parser reads them.
                    values.Add(string.Empty);
                }

                return values;
            }

            if (token == ",")
            {
                if (expectValue)
                {
                    values.Add(string.Empty);
                }

                expectValue = true;
                continue;
            }

            if (!expectValue || !IsIdentifier(token))
            {
                throw new SelectorParseException($"found '{token}', expected: ',' or ')' in \"{text}\"");
            }

            ValidateValue(token);
            values.Add(token);
            expectValue = false;
        }
    }

    private static string ExpectIdentifier(List<string> tokens, ref int position, string text)
    {
        if (position == tokens.Count || !IsIdentifier(tokens[position]))
        {
            var found = position < tokens.Count ? tokens[position] : string.Empty;
            throw new SelectorParseException($"unable to parse requirement: found '{found}', expected: identifier in \"{text}\"");
        }

        return tokens[position++];
    }

    private static bool IsIdentifier(string token) => token is not ("," or "(" or ")" or "=" or "==" or "!=" or "!" or ">" or "<");

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is ',' or '(' or ')' or '>' or '<')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '=' or '!')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(two ? text.Substring(i, 2) : c.ToString());
                i += two ? 2 : 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or '(' or ')' or '=' or '!' or '>' or '<'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    private static void ValidateKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length is 0 or > 253 || !DnsSubdomain().IsMatch(prefix))
            {
                throw new SelectorParseException($"invalid label key \"{key}\": prefix part must be a lowercase RFC 1123 subdomain");
            }
        }

        if (name.Length is 0 or > 63 || !QualifiedName().IsMatch(name))
        {
            throw new SelectorParseException($"invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static void ValidateValue(string value)
    {
        if (value.Length > 63 || (value.Length > 0 && !QualifiedName().IsMatch(value)))
        {
            throw new SelectorParseException($"invalid label value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
