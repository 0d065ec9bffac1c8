using ApiKeyOperator.Api;
using k8s.Models;

namespace ApiKeyOperator.Cli;

/// <summary>
/// Which ownerReferences of a credential Secret tie it to an ApiKey. Removing them (and only them) is what keeps a
/// Secret when its ApiKey goes: garbage collection follows ownerReferences, and the operator's finalizer deletes only
/// a Secret its ApiKey controls.
/// </summary>
public static class SecretOwnership
{
    public static bool IsApiKeyReference(V1OwnerReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Kind == ApiKey.KubeKind
            && reference.ApiVersion?.Split('/')[0] == ApiGroup.Name;
    }

    /// <summary>The ownerReferences <paramref name="secret"/> keeps once its ApiKeys' are removed; null when it has none of those.</summary>
    public static IList<V1OwnerReference>? WithoutApiKeys(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var references = secret.Metadata?.OwnerReferences ?? [];
        return references.Any(IsApiKeyReference) ? [.. references.Where(r => !IsApiKeyReference(r))] : null;
    }
}
