using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// The Secret that holds the signing keys: one data key, <c>signing-keys.json</c>, a JSON array of keys, so that
/// a change is one atomic write. Written only by the leader; every replica reads it.
/// </summary>
public static class SigningKeySecret
{
    public const string DataKey = "signing-keys.json";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "apikey-operator";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The keys in <paramref name="secret"/>; false (with the reason) when the Secret is not one this operator can read.</summary>
    public static bool TryRead(V1Secret secret, [NotNullWhen(true)] out IReadOnlyList<SigningKey>? keys, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(secret);
        keys = null;
        if (secret.Data is null || !secret.Data.TryGetValue(DataKey, out var bytes))
        {
            problem = $"it has no data key {DataKey}";
            return false;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<List<StoredKey>>(bytes, Json);
            if (stored is null || stored.Any(k => k is null || string.IsNullOrEmpty(k.Kid) || k.Algorithm != SigningKey.Es256 || string.IsNullOrEmpty(k.PrivateKeyPem)))
            {
                problem = $"{DataKey} holds a key without kid or private key, or with an algorithm other than {SigningKey.Es256}";
                return false;
            }

            if (stored.Select(k => k.Kid).Distinct(StringComparer.Ordinal).Count() != stored.Count)
            {
                problem = $"{DataKey} holds two keys with the same kid";
                return false;
            }

            keys = [.. stored.Select(k => new SigningKey(k.Kid, k.Algorithm, Utc(k.CreatedAt), Utc(k.ActiveFrom), k.PrivateKeyPem))];
            problem = null;
            return true;
        }
        catch (JsonException e)
        {
            // The message may quote content; only the position is reported.
            problem = $"{DataKey} is not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine})";
            return false;
        }
    }

    /// <summary>
    /// <paramref name="keys"/> as the Secret to write: <paramref name="existing"/> with its data replaced (keeping its
    /// resourceVersion for an optimistic update), or a new Secret.
    /// </summary>
    public static V1Secret Build(string namespaceName, string name, IReadOnlyList<SigningKey> keys, V1Secret? existing)
    {
        var stored = keys.Select(k => new StoredKey(k.Kid, k.Algorithm, k.CreatedAt, k.ActiveFrom, k.PrivateKeyPem)).ToList();
        var secret = existing ?? new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = namespaceName },
        };
        secret.Metadata.Labels ??= new Dictionary<string, string>();
        secret.Metadata.Labels[ManagedByLabel] = ManagedByValue;
        secret.Metadata.Annotations ??= new Dictionary<string, string>();
        secret.Metadata.Annotations["apikeyoperator.io/description"] =
            "Signing keys of the operator's access tokens (/oauth2/token). Managed by the operator: do not edit; delete to start over with a fresh key (tokens signed before then stop verifying).";
        secret.Data = new Dictionary<string, byte[]> { [DataKey] = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(stored, Json)) };
        return secret;
    }

    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);

    private sealed record StoredKey(
        [property: JsonPropertyName("kid")] string Kid,
        [property: JsonPropertyName("alg")] string Algorithm,
        [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
        [property: JsonPropertyName("activeFrom")] DateTime ActiveFrom,
        [property: JsonPropertyName("privateKey")] string PrivateKeyPem);
}
