namespace ApiKeyOperator.Security;

/// <summary>
/// What a SubjectAccessReview asks: a verb on a resource (optionally in a namespace), or on a non-resource path
/// such as <c>/metrics</c>. A null namespace on a namespaced resource means every namespace.
/// </summary>
public sealed record AccessRequest(string Verb, string? Group, string? Resource, string? Namespace, string? NonResourcePath)
{
    public static AccessRequest OnResource(string verb, string group, string resource, string? namespaceName) =>
        new(verb, group, resource, namespaceName, null);

    public static AccessRequest OnPath(string verb, string path) => new(verb, null, null, null, path);

    /// <summary>kube-apiserver's wording of the object of a refusal: <c>resource "x" in API group "g" in the namespace "n"</c>.</summary>
    public string Describe() => NonResourcePath is not null
        ? $"path \"{NonResourcePath}\""
        : $"resource \"{Resource}\" in API group \"{Group}\"" + (Namespace is null ? " at the cluster scope" : $" in the namespace \"{Namespace}\"");

    /// <summary>A stable text form, for keying cached decisions.</summary>
    public string CanonicalForm() => string.Join('\n', Verb, Group ?? "", Resource ?? "", Namespace ?? "\0", NonResourcePath ?? "");
}
