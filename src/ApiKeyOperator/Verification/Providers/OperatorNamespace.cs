namespace ApiKeyOperator.Verification;

/// <summary>The namespace the operator runs in: where its own Secret (the token signing keys) lives.</summary>
public static class OperatorNamespace
{
    private const string InClusterNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>
    /// <paramref name="flag"/> (<c>--token-signing-namespace</c>), else POD_NAMESPACE (the downward API, as the install
    /// sets it), else the in-cluster ServiceAccount's namespace; null outside a cluster with neither. Never the watch
    /// scope (<c>--namespace</c>): that is where users' Secrets live, not the operator's.
    /// </summary>
    public static string? Resolve(string? flag)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return flag;
        }

        var pod = Environment.GetEnvironmentVariable("POD_NAMESPACE");
        if (!string.IsNullOrWhiteSpace(pod))
        {
            return pod;
        }

        return File.Exists(InClusterNamespaceFile) ? File.ReadAllText(InClusterNamespaceFile).Trim() : null;
    }
}
