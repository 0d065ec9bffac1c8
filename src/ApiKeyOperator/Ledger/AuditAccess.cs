using ApiKeyOperator.Security;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Which audit rows a caller may read: those of the namespaces where it may <c>get</c> the virtual resource
/// <c>audits.apikeyoperator.io</c> (a ClusterRoleBinding grants every namespace at once). Asking for a namespace
/// one may not read, or having no readable namespace at all, is refused (403), never answered with an empty page
/// that would look like "nothing happened here".
/// </summary>
public static class AuditAccess
{
    public const string Resource = "audits";

    public static AccessRequest In(string? namespaceName) => AccessRequest.OnResource("get", Api.ApiGroup.Name, Resource, namespaceName);

    /// <returns>The namespaces to restrict the query to (null: every one), or why the caller is refused.</returns>
    public static async Task<(IReadOnlyList<string>? Namespaces, string? Refusal)> ResolveAsync(
        RequestCaller caller, string? requestedNamespace, IAuditLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(ledger);
        if (requestedNamespace is not null)
        {
            var access = In(requestedNamespace);
            return await caller.MayAsync(access, cancellationToken).ConfigureAwait(false)
                ? (null, null)
                : (null, KubernetesStatus.Forbidden(caller.Caller, access));
        }

        if (await caller.MayAsync(In(null), cancellationToken).ConfigureAwait(false))
        {
            return (null, null);
        }

        var namespaces = await ledger.ListNamespacesAsync(cancellationToken).ConfigureAwait(false);
        var decisions = await Task.WhenAll(namespaces.Select(ns => caller.MayAsync(In(ns), cancellationToken))).ConfigureAwait(false);
        var readable = namespaces.Where((_, i) => decisions[i]).ToList();
        return readable.Count > 0
            ? (readable, null)
            : (null, $"forbidden: User \"{caller.Caller.UserName}\" cannot get resource \"{Resource}\" in API group \"{Api.ApiGroup.Name}\" in any namespace that has audit rows");
    }
}
