using System.Security.Cryptography.X509Certificates;
using System.Text;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// Reads and writes the objects that hold the operator's certificates: the CA Secret, the serving Secret
/// (kubernetes.io/tls) and the bundle ConfigMap, all in <see cref="CertificateSettings.Namespace"/>. Writes only
/// what differs, with the resourceVersion read (a concurrent writer makes it fail with 409; the next round retries).
/// </summary>
public sealed class CertificateStore(IResourceClient<V1Secret> secrets, IResourceClient<V1ConfigMap> configMaps, CertificateSettings settings)
{
    public async Task<(CertificateObservation Observation, StoredObjects Stored)> ReadAsync(CancellationToken cancellationToken)
    {
        var ca = await secrets.GetAsync(new ObjectKey(settings.Namespace, CertificateNames.CaSecret), cancellationToken).ConfigureAwait(false);
        var serving = await secrets.GetAsync(new ObjectKey(settings.Namespace, CertificateNames.ServingSecret), cancellationToken).ConfigureAwait(false);
        var bundle = await configMaps.GetAsync(new ObjectKey(settings.Namespace, CertificateNames.CaConfigMap), cancellationToken).ConfigureAwait(false);
        var observation = new CertificateObservation(
            CertificateFactory.TryLoad(Text(ca, CertificateNames.SignerCertKey), Text(ca, CertificateNames.SignerKeyKey)),
            CertificateFactory.TryLoad(Text(ca, CertificateNames.NextCertKey), Text(ca, CertificateNames.NextKeyKey)),
            CertificateFactory.TryLoad(Text(ca, CertificateNames.PreviousCertKey)),
            CertificateFactory.TryLoad(Text(serving, CertificateNames.TlsCertKey), Text(serving, CertificateNames.TlsKeyKey)));
        return (observation, new StoredObjects(ca, serving, bundle));
    }

    /// <summary>The serving certificate and trust bundle as stored, for replicas that only load them.</summary>
    public async Task<(X509Certificate2? Certificate, string? Bundle)> ReadServingAsync(CancellationToken cancellationToken)
    {
        var serving = await secrets.GetAsync(new ObjectKey(settings.Namespace, CertificateNames.ServingSecret), cancellationToken).ConfigureAwait(false);
        return (CertificateFactory.TryLoad(Text(serving, CertificateNames.TlsCertKey), Text(serving, CertificateNames.TlsKeyKey)), Text(serving, CertificateNames.CaBundleKey));
    }

    /// <summary>
    /// Stores <paramref name="state"/>: the CA Secret first (the source of truth), then the bundle everywhere
    /// clients read it, the serving Secret last, so that no serving certificate is published before its CA.
    /// Returns how many objects were written.
    /// </summary>
    public async Task<int> WriteAsync(CertificateState state, StoredObjects stored, CancellationToken cancellationToken)
    {
        var bundle = state.Bundle;
        var caData = new Dictionary<string, string>
        {
            [CertificateNames.CaBundleKey] = bundle,
            [CertificateNames.SignerCertKey] = CertificateFactory.CertificatePem(state.Signer),
            [CertificateNames.SignerKeyKey] = CertificateFactory.KeyPem(state.Signer),
        };
        if (state.Next is { } next)
        {
            caData[CertificateNames.NextCertKey] = CertificateFactory.CertificatePem(next);
            caData[CertificateNames.NextKeyKey] = CertificateFactory.KeyPem(next);
        }

        if (state.Previous is { } previous)
        {
            caData[CertificateNames.PreviousCertKey] = CertificateFactory.CertificatePem(previous);
        }

        var written = 0;
        written += await WriteSecretAsync(stored.Ca, CertificateNames.CaSecret, "Opaque", "ca", caData, cancellationToken).ConfigureAwait(false);
        written += await WriteConfigMapAsync(stored.Bundle, bundle, cancellationToken).ConfigureAwait(false);
        written += await WriteSecretAsync(stored.Serving, CertificateNames.ServingSecret, "kubernetes.io/tls", "serving", new Dictionary<string, string>
        {
            [CertificateNames.TlsCertKey] = CertificateFactory.CertificatePem(state.Serving),
            [CertificateNames.TlsKeyKey] = CertificateFactory.KeyPem(state.Serving),
            [CertificateNames.CaBundleKey] = bundle,
        }, cancellationToken).ConfigureAwait(false);
        return written;
    }

    private async Task<int> WriteSecretAsync(
        V1Secret? existing, string name, string type, string role, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var bytes = data.ToDictionary(e => e.Key, e => Encoding.UTF8.GetBytes(e.Value));
        if (existing is not null && existing.Type == type && SameData(existing.Data, bytes))
        {
            return 0;
        }

        if (existing is null)
        {
            await secrets.CreateAsync(new V1Secret { Metadata = Metadata(name, role), Type = type, Data = bytes }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            existing.Data = bytes;
            existing.Type = type;
            existing.StringData = null;
            existing.Metadata.Labels ??= new Dictionary<string, string>();
            existing.Metadata.Labels[CertificateNames.ManagedLabel] = role;
            await secrets.ReplaceAsync(existing, cancellationToken).ConfigureAwait(false);
        }

        return 1;
    }

    private async Task<int> WriteConfigMapAsync(V1ConfigMap? existing, string bundle, CancellationToken cancellationToken)
    {
        if (existing?.Data is { } data && data.Count == 1 && data.TryGetValue(CertificateNames.CaBundleKey, out var stored) && stored == bundle)
        {
            return 0;
        }

        var desired = new Dictionary<string, string> { [CertificateNames.CaBundleKey] = bundle };
        if (existing is null)
        {
            await configMaps.CreateAsync(new V1ConfigMap { Metadata = Metadata(CertificateNames.CaConfigMap, "bundle"), Data = desired }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            existing.Data = desired;
            existing.BinaryData = null;
            await configMaps.ReplaceAsync(existing, cancellationToken).ConfigureAwait(false);
        }

        return 1;
    }

    private V1ObjectMeta Metadata(string name, string role) => new()
    {
        Name = name,
        NamespaceProperty = settings.Namespace,
        Labels = new Dictionary<string, string> { [CertificateNames.ManagedLabel] = role, ["app.kubernetes.io/name"] = "apikey-operator" },
    };

    private static bool SameData(IDictionary<string, byte[]>? stored, Dictionary<string, byte[]> desired) =>
        stored is not null && stored.Count == desired.Count
        && desired.All(e => stored.TryGetValue(e.Key, out var value) && value.AsSpan().SequenceEqual(e.Value));

    private static string? Text(V1Secret? secret, string key) =>
        secret?.Data is { } data && data.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>The objects as read, carrying the resourceVersions the writes are conditional on.</summary>
    public sealed record StoredObjects(V1Secret? Ca, V1Secret? Serving, V1ConfigMap? Bundle);
}
