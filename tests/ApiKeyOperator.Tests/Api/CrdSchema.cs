using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Api;

/// <summary>Reads the openAPIV3Schema of a CRD manifest under config/crds.</summary>
internal static class CrdSchema
{
    public static YamlMappingNode Load(string fileName)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(FindConfigDirectory(), "crds", fileName)))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var versions = (YamlSequenceNode)Child(root, "spec").Children[new YamlScalarNode("versions")];
        var version = (YamlMappingNode)versions.Children.Single();
        return Child(Child(version, "schema"), "openAPIV3Schema");
    }

    public static YamlMappingNode Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? (YamlMappingNode)child
            : throw new KeyNotFoundException($"no '{key}' under {node.Start}");

    public static YamlMappingNode? Property(YamlMappingNode schema, string name) =>
        schema.Children.TryGetValue(new YamlScalarNode("properties"), out var properties)
        && ((YamlMappingNode)properties).Children.TryGetValue(new YamlScalarNode(name), out var property)
            ? (YamlMappingNode)property
            : null;

    public static IEnumerable<string> PropertyNames(YamlMappingNode schema) =>
        schema.Children.TryGetValue(new YamlScalarNode("properties"), out var properties)
            ? ((YamlMappingNode)properties).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)
            : [];

    public static string? Scalar(YamlMappingNode schema, string key) =>
        schema.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    public static bool Has(YamlMappingNode schema, string key) => schema.Children.ContainsKey(new YamlScalarNode(key));

    public static string FindConfigDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "config");
            if (Directory.Exists(Path.Combine(candidate, "crds")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("config/crds not found above " + AppContext.BaseDirectory);
    }
}
