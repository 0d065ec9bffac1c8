using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeSim.ServerSideApply;

/// <summary>
/// An apply body (application/apply-patch+yaml: YAML, or JSON which is YAML) as JSON, with the YAML 1.2 core
/// schema for plain scalars and a cap on the nodes alias expansion may produce (a "billion laughs" body).
/// </summary>
internal static class YamlJson
{
    private const int MaxNodes = 200_000;

    public static JsonNode? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"error converting YAML to JSON: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1)
        {
            throw new FormatException("an apply body must hold exactly one YAML document");
        }

        var budget = MaxNodes;
        return Convert(stream.Documents[0].RootNode, ref budget);
    }

    private static JsonNode? Convert(YamlNode node, ref int budget)
    {
        if (--budget < 0)
        {
            throw new FormatException("error converting YAML to JSON: excessive aliasing (the document expands past the node limit)");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new FormatException("error converting YAML to JSON: only string keys are supported");
                    if (obj.ContainsKey(name))
                    {
                        throw new FormatException($"error converting YAML to JSON: duplicate key \"{name}\"");
                    }

                    obj[name] = Convert(value, ref budget);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, ref budget));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new FormatException("error converting YAML to JSON: unsupported node");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return text;
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => integer,
            _ when text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex) => hex,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && !double.IsInfinity(real) && text.Any(char.IsDigit) => real,
            _ => text,
        };
    }
}
