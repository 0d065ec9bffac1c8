namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// What RBAC authorizes for one API call: the grant it needs (group, resource with "/subresource", verb) and
/// its namespace, null when cluster-scoped or across all namespaces. KubeSim's RequestRecord carries the same.
/// </summary>
public sealed record ApiRequestAttributes(RbacGrant Grant, string? Namespace);
