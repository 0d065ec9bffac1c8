using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>Flattens the rules of a Role or ClusterRole manifest into single grants.</summary>
public static class RbacRules
{
    public static IReadOnlySet<RbacGrant> Grants(YamlMappingNode role) =>
        role.Maps("rules")
            .SelectMany(rule =>
                from apiGroup in rule.Strings("apiGroups")
                from resource in rule.Strings("resources")
                from verb in rule.Strings("verbs")
                select new RbacGrant(apiGroup, resource, verb))
            .ToHashSet();

    /// <summary>Grants sorted for readable assertion diffs.</summary>
    public static IReadOnlyList<string> Sorted(IEnumerable<RbacGrant> grants) =>
        [.. grants.Select(g => g.ToString()).Order(StringComparer.Ordinal)];

    /// <summary>Every manifest under config/rbac, and the webhook's CA injector role (config/webhook).</summary>
    public static IReadOnlyList<YamlMappingNode> LoadConfigRbac() =>
        [.. Directory.GetFiles(RepoPaths.Combine("config", "rbac"), "*.yaml")
            .Where(path => Path.GetFileName(path) != "kustomization.yaml")
            .Append(RepoPaths.Combine("config", "webhook", "injector_role.yaml"))
            .Order(StringComparer.Ordinal)
            .SelectMany(YamlNodes.LoadFile)];
}
