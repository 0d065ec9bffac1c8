using System.Reflection;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Where a kind lives in the API, read from its <see cref="KubernetesEntityAttribute"/>: the core group is
/// served under <c>/api/v1</c>, every other group under <c>/apis/{group}/{version}</c>.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static ResourceType Of<T>() => Of(typeof(T));

    public static ResourceType Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{type.Name} has no [KubernetesEntity] attribute", nameof(type));
        if (string.IsNullOrEmpty(entity.PluralName) || string.IsNullOrEmpty(entity.ApiVersion) || string.IsNullOrEmpty(entity.Kind))
        {
            throw new ArgumentException($"{type.Name}: [KubernetesEntity] needs Kind, ApiVersion and PluralName", nameof(type));
        }

        return new ResourceType(entity.Group ?? string.Empty, entity.ApiVersion, entity.Kind, entity.PluralName.ToLowerInvariant());
    }

    /// <summary>Path of the collection, namespaced when <paramref name="namespaceName"/> is set.</summary>
    public string CollectionPath(string? namespaceName)
    {
        var prefix = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return namespaceName is null
            ? $"{prefix}/{Plural}"
            : $"{prefix}/namespaces/{Uri.EscapeDataString(namespaceName)}/{Plural}";
    }

    public string ItemPath(ObjectKey key) => $"{CollectionPath(key.Namespace)}/{Uri.EscapeDataString(key.Name)}";

    /// <summary>True when <paramref name="apiVersion"/> names this kind's group (any version of it).</summary>
    public bool IsGroupOf(string? apiVersion)
    {
        if (apiVersion is null)
        {
            return false;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        return string.Equals(group, Group, StringComparison.Ordinal);
    }
}
