using ApiKeyOperator.Keys;

namespace ApiKeyOperator.Verification;

/// <summary>
/// One key of one ApiKey, as verification needs it: where it belongs, its public id, the SHA-256 fingerprint
/// of the credential (<see cref="KeyHash"/> form) and what limits it. Holds no key material.
/// </summary>
public sealed record IndexedKey(
    string Namespace,
    string ApiKeyName,
    string KeyId,
    string Hash,
    IndexedKeyState State,
    IReadOnlyList<string> Scopes,
    DateTime? ExpiresAt,
    DateTime? RevokeAt = null);
