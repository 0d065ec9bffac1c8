using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>Navigation over parsed Kubernetes manifests; absent keys read as null or empty.</summary>
public static class YamlNodes
{
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public static IReadOnlyList<YamlMappingNode> LoadFile(string path)
    {
        using var reader = File.OpenText(path);
        return LoadDocuments(reader);
    }

    public static YamlMappingNode Find(IEnumerable<YamlMappingNode> manifests, string kind, string name) =>
        manifests.Single(m => m.Kind() == kind && m.Name() == name);

    public static YamlMappingNode? Map(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    public static IReadOnlyList<YamlNode> Seq(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? [.. sequence.Children]
            : [];

    public static IReadOnlyList<YamlMappingNode> Maps(this YamlMappingNode node, string key) =>
        [.. node.Seq(key).OfType<YamlMappingNode>()];

    public static IReadOnlyList<string> Strings(this YamlMappingNode node, string key) =>
        [.. node.Seq(key).OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty)];

    public static string? Str(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    public static string Kind(this YamlMappingNode manifest) => manifest.Str("kind") ?? string.Empty;

    public static string Name(this YamlMappingNode manifest) => manifest.Map("metadata")?.Str("name") ?? string.Empty;

    public static string? Namespace(this YamlMappingNode manifest) => manifest.Map("metadata")?.Str("namespace");

    public static string? Label(this YamlMappingNode manifest, string key) => manifest.Map("metadata")?.Map("labels")?.Str(key);
}
