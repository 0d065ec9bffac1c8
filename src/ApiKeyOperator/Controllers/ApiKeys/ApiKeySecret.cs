using System.Globalization;
using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// The layout of the Secret an ApiKey's credential lives in (DESIGN §1): type Opaque, controller
/// ownerReference, <c>apikeyoperator.io/apikey</c> label, key-id and issued-at annotations, secretTemplate
/// metadata, and the data keys of the credential's format. Shared by every writer of that Secret.
/// </summary>
public static class ApiKeySecret
{
    private static readonly string[] CredentialDataKeys =
        [SecretDataKeys.ApiKey, SecretDataKeys.ClientId, SecretDataKeys.ClientSecret, SecretDataKeys.KeyId, SecretDataKeys.ExpiresAt];

    /// <summary>Whether <paramref name="secret"/>'s controller ownerReference is this ApiKey (by uid).</summary>
    public static bool IsControlledBy(V1Secret secret, ApiKey apiKey) =>
        secret.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Uid == apiKey.Metadata.Uid) == true;

    /// <summary>
    /// The credential in <paramref name="secret"/>, or null when there is none or its data is not a
    /// well-formed, self-consistent credential (bad checksum, key ids that disagree).
    /// </summary>
    public static SecretCredential? Read(V1Secret? secret)
    {
        var data = secret?.Data;
        if (data is null)
        {
            return null;
        }

        var keyId = Text(data, SecretDataKeys.KeyId);
        IssuedCredential? credential = null;
        if (Text(data, SecretDataKeys.ApiKey) is { } token)
        {
            if (TokenFormat.TryParse(token, out var parsed) && parsed.KeyId == keyId)
            {
                credential = IssuedCredential.ForToken(keyId, token);
            }
        }
        else if (Text(data, SecretDataKeys.ClientId) is { } clientId && Text(data, SecretDataKeys.ClientSecret) is { } clientSecret)
        {
            if (TokenFormat.TryParseClientCredentials(clientId, clientSecret, out var parsed) && parsed.KeyId == keyId)
            {
                credential = IssuedCredential.ForClientCredentials(keyId, clientId, clientSecret);
            }
        }

        return credential is null
            ? null
            : new SecretCredential(
                credential,
                ParseTime(Text(data, SecretDataKeys.ExpiresAt)),
                ParseTime(secret!.Metadata?.Annotations?.TryGetValue(WellKnown.IssuedAtAnnotation, out var issuedAt) == true ? issuedAt : null));
    }

    /// <summary>
    /// The Secret as it should be: <paramref name="existing"/> (when given) with the operator's metadata and
    /// data applied over it, other labels, annotations and data keys kept; else a new Secret.
    /// </summary>
    public static V1Secret Build(ApiKey apiKey, IssuedCredential credential, DateTime expiresAt, DateTime issuedAt, V1Secret? existing)
    {
        var secret = existing is null
            ? new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Type = "Opaque",
                Metadata = new V1ObjectMeta { Name = apiKey.Spec.SecretName, NamespaceProperty = apiKey.Metadata.NamespaceProperty },
            }
            : KubernetesJson.Deserialize<V1Secret>(KubernetesJson.Serialize(existing));

        var metadata = secret.Metadata;
        metadata.Labels = Merge(metadata.Labels, apiKey.Spec.SecretTemplate?.Labels);
        metadata.Labels[WellKnown.ApiKeyLabel] = apiKey.Metadata.Name;
        metadata.Annotations = Merge(metadata.Annotations, apiKey.Spec.SecretTemplate?.Annotations);
        metadata.Annotations[WellKnown.KeyIdAnnotation] = credential.KeyId;
        metadata.Annotations[WellKnown.IssuedAtAnnotation] = FormatTime(issuedAt);
        if (!IsControlledBy(secret, apiKey))
        {
            metadata.OwnerReferences = [.. metadata.OwnerReferences ?? [], OwnerReference(apiKey)];
        }

        var data = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>());
        foreach (var key in CredentialDataKeys)
        {
            data.Remove(key);
        }

        if (credential.Format == CredentialFormat.Token)
        {
            data[SecretDataKeys.ApiKey] = Encoding.UTF8.GetBytes(credential.ApiKey!);
        }
        else
        {
            data[SecretDataKeys.ClientId] = Encoding.UTF8.GetBytes(credential.ClientId!);
            data[SecretDataKeys.ClientSecret] = Encoding.UTF8.GetBytes(credential.ClientSecret!);
        }

        data[SecretDataKeys.KeyId] = Encoding.UTF8.GetBytes(credential.KeyId);
        data[SecretDataKeys.ExpiresAt] = Encoding.UTF8.GetBytes(FormatTime(expiresAt));
        secret.Data = data;
        return secret;
    }

    /// <summary>Whether two versions of the Secret agree on everything the operator writes.</summary>
    public static bool SameContent(V1Secret a, V1Secret b) =>
        SameMap(a.Metadata.Labels, b.Metadata.Labels)
        && SameMap(a.Metadata.Annotations, b.Metadata.Annotations)
        && KubernetesJson.Serialize(a.Metadata.OwnerReferences) == KubernetesJson.Serialize(b.Metadata.OwnerReferences)
        && SameData(a.Data, b.Data);

    public static V1OwnerReference OwnerReference(ApiKey apiKey) => new()
    {
        ApiVersion = ApiGroup.ApiVersion,
        Kind = ApiKey.KubeKind,
        Name = apiKey.Metadata.Name,
        Uid = apiKey.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>RFC 3339 in UTC with second precision, as Kubernetes writes times.</summary>
    public static string FormatTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTime? ParseTime(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    private static string? Text(IDictionary<string, byte[]> data, string key) =>
        data.TryGetValue(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    private static Dictionary<string, string> Merge(IDictionary<string, string>? existing, IDictionary<string, string>? template)
    {
        var merged = new Dictionary<string, string>(existing ?? new Dictionary<string, string>());
        foreach (var (key, value) in template ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return merged;
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value);

    private static bool SameData(IDictionary<string, byte[]>? a, IDictionary<string, byte[]>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a ?? new Dictionary<string, byte[]>()).All(p => b!.TryGetValue(p.Key, out var v) && v.AsSpan().SequenceEqual(p.Value));
}
