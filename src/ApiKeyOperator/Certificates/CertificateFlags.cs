using System.CommandLine;
using ApiKeyOperator.Security;

namespace ApiKeyOperator.Certificates;

/// <summary>The <c>run</c> flags of the serving certificate.</summary>
public static class CertificateFlags
{
    public static Option<string?> CertDir { get; } = new("--cert-dir")
    {
        Description = "Directory with tls.crt and tls.key to serve (a mounted Secret, e.g. cert-manager's), reloaded when they change; "
            + "unset: the operator keeps its own CA and serving certificate in Secrets of --cert-namespace",
    };

    public static Option<string?> CertNamespace { get; } = new("--cert-namespace")
    {
        Description = "Namespace of the operator's own certificate Secrets and CA ConfigMap; default --leader-election-namespace, --namespace, the in-cluster namespace, or 'default'",
    };

    public static Option<string[]> ServiceNames { get; } = FlagValues.List(
        "--cert-service-names", "Services (in --cert-namespace) whose DNS names the serving certificate carries", CertificateNames.DefaultServices);

    public static Option<TimeSpan> RefreshInterval { get; } = FlagValues.Duration(
        "--cert-refresh-interval", "How often the leader checks its certificates and the other replicas reload them", TimeSpan.FromSeconds(30));

    public static IReadOnlyList<Option> All => [CertDir, CertNamespace, ServiceNames, RefreshInterval];
}
