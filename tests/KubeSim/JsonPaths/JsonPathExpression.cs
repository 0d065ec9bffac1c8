using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim.JsonPaths;

/// <summary>
/// A kubectl-style JSONPath as used by CRD additionalPrinterColumns: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[-1]</c>,
/// <c>.a[*]</c>, <c>.a[0:2]</c>, <c>..name</c>, <c>['dotted.key']</c>, <c>[?(@.type=="Ready")]</c>; the
/// surrounding <c>{}</c> and a leading <c>$</c> are optional.
/// </summary>
internal sealed class JsonPathExpression
{
    private readonly IReadOnlyList<JsonPathStep> _steps;

    private JsonPathExpression(string text, IReadOnlyList<JsonPathStep> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    public static JsonPathExpression Parse(string kubectlJsonPath)
    {
        ArgumentNullException.ThrowIfNull(kubectlJsonPath);
        var text = kubectlJsonPath.Trim();
        if (text.StartsWith('{'))
        {
            if (!text.EndsWith('}'))
            {
                throw new JsonPathParseException($"unclosed action in \"{kubectlJsonPath}\"");
            }

            text = text[1..^1].Trim();
        }

        var parser = new Parser(text, kubectlJsonPath);
        var steps = parser.ParseSteps(inFilter: false);
        if (!parser.AtEnd)
        {
            throw new JsonPathParseException($"unrecognized character '{parser.Current}' in \"{kubectlJsonPath}\"");
        }

        return new JsonPathExpression(kubectlJsonPath, steps);
    }

    public IReadOnlyList<JsonNode?> Evaluate(JsonNode root) => Run(_steps, root);

    public override string ToString() => Text;

    internal static IReadOnlyList<JsonNode?> Run(IReadOnlyList<JsonPathStep> steps, JsonNode? root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in steps)
        {
            current = current.SelectMany(step.Select);
        }

        return [.. current];
    }

    private sealed class Parser(string text, string original)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public char Current => text[_position];

        public List<JsonPathStep> ParseSteps(bool inFilter)
        {
            var steps = new List<JsonPathStep>();
            if (!AtEnd && Current is '$' or '@')
            {
                _position++;
            }
            else if (!AtEnd && !inFilter && Current is not ('.' or '['))
            {
                // A bare leading name (status.phase) reads as .status.phase.
                steps.Add(new FieldStep(ReadName()));
            }

            while (!AtEnd)
            {
                if (Peek(".."))
                {
                    _position += 2;
                    steps.Add(new RecursiveStep(ParseAfterDot()));
                }
                else if (Current == '.')
                {
                    _position++;
                    steps.Add(ParseAfterDot());
                }
                else if (Current == '[')
                {
                    steps.Add(ParseBracket());
                }
                else
                {
                    break;
                }
            }

            return steps;
        }

        private bool Peek(string token) => string.CompareOrdinal(text, _position, token, 0, token.Length) == 0;

        private JsonPathStep ParseAfterDot()
        {
            if (!AtEnd && Current == '*')
            {
                _position++;
                return new WildcardStep();
            }

            if (!AtEnd && Current == '[')
            {
                return ParseBracket();
            }

            var name = ReadName();
            return name.Length == 0 ? throw Error("expected a field name") : new FieldStep(name);
        }

        private string ReadName()
        {
            var name = new StringBuilder();
            while (!AtEnd && Current is not ('.' or '[' or ']' or ')' or ' ' or '=' or '!' or '<' or '>'))
            {
                if (Current == '\\' && _position + 1 < text.Length)
                {
                    _position++;
                }

                name.Append(Current);
                _position++;
            }

            return name.ToString();
        }

        private JsonPathStep ParseBracket()
        {
            _position++;
            SkipSpaces();
            JsonPathStep step;
            if (AtEnd)
            {
                throw Error("unterminated [");
            }

            if (Current == '*')
            {
                _position++;
                step = new WildcardStep();
            }
            else if (Current == '?')
            {
                step = ParseFilter();
            }
            else if (Current is '\'' or '"')
            {
                step = new FieldStep(ReadQuoted());
            }
            else
            {
                step = ParseIndexes();
            }

            SkipSpaces();
            if (AtEnd || Current != ']')
            {
                throw Error("expected ]");
            }

            _position++;
            return step;
        }

        private IndexStep ParseIndexes()
        {
            var start = _position;
            while (!AtEnd && Current != ']')
            {
                _position++;
            }

            var body = text[start.._position].Replace(" ", string.Empty, StringComparison.Ordinal);
            if (body.Contains(':', StringComparison.Ordinal))
            {
                var parts = body.Split(':');
                if (parts.Length > 3)
                {
                    throw Error($"invalid slice \"{body}\"");
                }

                var step = parts.Length == 3 && parts[2].Length > 0 ? Integer(parts[2]) : 1;
                if (step <= 0)
                {
                    throw Error($"invalid slice step \"{body}\"");
                }

                return new IndexStep([], OptionalInteger(parts[0]), OptionalInteger(parts[1]), step, IsSlice: true);
            }

            return new IndexStep([.. body.Split(',').Select(Integer)], null, null, 1, IsSlice: false);
        }

        private int? OptionalInteger(string part) => part.Length == 0 ? null : Integer(part);

        private int Integer(string part) =>
            int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Error($"invalid array index \"{part}\"");

        private FilterStep ParseFilter()
        {
            _position++;
            if (AtEnd || Current != '(')
            {
                throw Error("expected ( after ?");
            }

            _position++;
            SkipSpaces();
            if (AtEnd || Current != '@')
            {
                throw Error("filter must start with @");
            }

            var left = ParseSteps(inFilter: true);
            SkipSpaces();
            string? op = null;
            JsonNode? right = null;
            foreach (var candidate in (string[])["==", "!=", "<=", ">=", "<", ">"])
            {
                if (Peek(candidate))
                {
                    op = candidate;
                    _position += candidate.Length;
                    SkipSpaces();
                    right = ReadLiteral();
                    SkipSpaces();
                    break;
                }
            }

            if (AtEnd || Current != ')')
            {
                throw Error("expected ) to close the filter");
            }

            _position++;
            return new FilterStep(left, op, right);
        }

        private JsonNode? ReadLiteral()
        {
            if (AtEnd)
            {
                throw Error("expected a value in the filter");
            }

            if (Current is '\'' or '"')
            {
                return JsonValue.Create(ReadQuoted());
            }

            var start = _position;
            while (!AtEnd && Current is not (')' or ' '))
            {
                _position++;
            }

            var word = text[start.._position];
            return word switch
            {
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                "null" => null,
                _ when decimal.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                _ => throw Error($"unrecognized value \"{word}\" in filter"),
            };
        }

        private string ReadQuoted()
        {
            var quote = Current;
            _position++;
            var value = new StringBuilder();
            while (!AtEnd && Current != quote)
            {
                if (Current == '\\' && _position + 1 < text.Length)
                {
                    _position++;
                }

                value.Append(Current);
                _position++;
            }

            if (AtEnd)
            {
                throw Error("unterminated string");
            }

            _position++;
            return value.ToString();
        }

        private void SkipSpaces()
        {
            while (!AtEnd && Current == ' ')
            {
                _position++;
            }
        }

        private JsonPathParseException Error(string detail) =>
            new($"{detail} at position {_position} in \"{original}\"");
    }
}
