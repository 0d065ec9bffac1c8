using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Verification;

/// <summary>The namespace the operator runs in: where its own Secrets (the token signing keys) live.</summary>
public static class OperatorNamespace
{
    private const string InClusterNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>POD_NAMESPACE (downward API), else the leader election namespace, the watch namespace, the in-cluster service account's, or <c>default</c>.</summary>
    public static string Resolve(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pod = Environment.GetEnvironmentVariable("POD_NAMESPACE");
        return !string.IsNullOrWhiteSpace(pod) ? pod
            : options.LeaderElectionNamespace
              ?? options.Namespace
              ?? (File.Exists(InClusterNamespaceFile) ? File.ReadAllText(InClusterNamespaceFile).Trim() : "default");
    }
}
