using System.Collections.Immutable;

namespace KubeSim;

/// <summary>
/// The set of served resources: built-ins plus whatever established CRDs add. Readers see immutable
/// snapshots, so discovery and routing never block writers.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly Lock gate = new();
    private ImmutableList<ResourceDefinition> definitions;

    internal ResourceRegistry(IEnumerable<ResourceDefinition> initial)
    {
        definitions = [.. initial];
    }

    /// <summary>All served resources, in registration order.</summary>
    public IReadOnlyList<ResourceDefinition> All => Volatile.Read(ref definitions);

    /// <summary>The resource served at group/version/plural, or null.</summary>
    public ResourceDefinition? Find(ResourceId id) =>
        All.FirstOrDefault(d => d.Group == id.Group && d.Version == id.Version && d.Plural == id.Plural);

    /// <summary>Any served version of group/plural (storage is shared across versions).</summary>
    public ResourceDefinition? FindAnyVersion(string group, string plural) =>
        All.FirstOrDefault(d => d.Group == group && d.Plural == plural);

    /// <summary>The resource for a kind in a group-version ("v1" or "apps/v1"), or null.</summary>
    public ResourceDefinition? FindKind(string apiVersion, string kind) =>
        All.FirstOrDefault(d => d.Id.ApiVersion == apiVersion && d.Kind == kind);

    /// <summary>Replaces every version of group/plural with the given definitions.</summary>
    internal void Replace(string group, string plural, IReadOnlyList<ResourceDefinition> versions)
    {
        lock (gate)
        {
            var kept = definitions.RemoveAll(d => d.Group == group && d.Plural == plural);
            Volatile.Write(ref definitions, kept.AddRange(versions));
        }
    }

    /// <summary>The served group-versions in a stable order: core first, then groups by first registration.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups() =>
        All.Where(d => d.Group.Length > 0)
            .GroupBy(d => d.Group)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(d => d.Version).Distinct().ToList()))
            .ToList();
}
