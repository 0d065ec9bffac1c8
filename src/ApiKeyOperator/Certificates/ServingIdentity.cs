using System.Net;

namespace ApiKeyOperator.Certificates;

/// <summary>The names the serving certificate must carry: every Service's DNS forms, plus loopback for local runs.</summary>
public sealed record ServingIdentity(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>
    /// <c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc</c> and <c>svc.ns.svc.cluster.local</c> for each Service, then
    /// <c>localhost</c>, 127.0.0.1 and ::1 (a local <c>apikey-operator run</c>, and tests, connect there).
    /// </summary>
    public static ServingIdentity ForServices(string namespaceName, IEnumerable<string> services) => new(
        [.. services.SelectMany(s => new[] { s, $"{s}.{namespaceName}", $"{s}.{namespaceName}.svc", $"{s}.{namespaceName}.svc.cluster.local" }), "localhost"],
        [IPAddress.Loopback, IPAddress.IPv6Loopback]);
}
