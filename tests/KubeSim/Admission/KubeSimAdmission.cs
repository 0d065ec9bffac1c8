using System.Collections.Concurrent;

namespace KubeSim;

/// <summary>
/// Admission webhook settings that have no Kubernetes object: KubeSim has no pod network, so a webhook's
/// <c>clientConfig.service</c> (namespace, name, port) is resolved through this table to a base URL the test's
/// webhook server listens on (e.g. https://127.0.0.1:41234). The call goes to that base URL plus the service
/// path, and the server certificate must still be valid for <c>NAME.NAMESPACE.svc</c> and chain to the caBundle,
/// as with a real API server. Thread-safe.
/// </summary>
public sealed class KubeSimAdmission
{
    private readonly ConcurrentDictionary<string, Uri> services = new(StringComparer.Ordinal);

    internal KubeSimAdmission(IEnumerable<KeyValuePair<string, Uri>>? initial)
    {
        foreach (var (key, url) in initial ?? [])
        {
            services[key] = url;
        }
    }

    /// <summary>Where the service <paramref name="name"/> in <paramref name="namespace"/> on <paramref name="port"/> is reached.</summary>
    public void MapService(string @namespace, string name, Uri baseUrl, int port = 443)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(baseUrl);
        services[Key(@namespace, name, port)] = baseUrl;
    }

    /// <summary>Forgets a service mapping; calls to it then fail like calls to a service without endpoints.</summary>
    public bool UnmapService(string @namespace, string name, int port = 443) => services.TryRemove(Key(@namespace, name, port), out _);

    /// <summary>The key of <see cref="KubeSimOptions.WebhookServiceEndpoints"/>: <c>namespace/name:port</c>.</summary>
    public static string Key(string @namespace, string name, int port) =>
        $"{@namespace}/{name}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    internal Uri? Resolve(string @namespace, string name, int port) => services.TryGetValue(Key(@namespace, name, port), out var url) ? url : null;
}
