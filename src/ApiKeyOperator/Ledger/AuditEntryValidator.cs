using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Checks an entry before any I/O. A missing required field or a malformed kind is a bug in the caller and
/// throws. Content never costs the row: a field that looks like key material is replaced by a marker that
/// says it was redacted and why, and the row is kept (an audit trail with a hole is worse than one with a
/// marker).
/// </summary>
internal static partial class AuditEntryValidator
{
    /// <summary>Start of every redaction marker; what follows names what the value looked like.</summary>
    public const string RedactedMarker = "[redacted by apikey-operator: the value looked like ";

    /// <summary>The entry to store (the same instance when nothing was redacted) and the fields that were redacted.</summary>
    public static (AuditEntry Entry, IReadOnlyList<string> RedactedFields) Validate(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrEmpty(entry.Kind) || !KindPattern().IsMatch(entry.Kind))
        {
            throw new ArgumentException("Audit field 'kind' must be a CamelCase identifier of at most 31 characters.", "kind");
        }

        Require(entry.Namespace, "namespace");
        Require(entry.ApiKey, "apiKey");
        Require(entry.Actor, "actor");
        ArgumentNullException.ThrowIfNull(entry.Scopes, "scopes");
        if (entry.Scopes.Any(scope => scope is null))
        {
            throw new ArgumentException("Audit field 'scopes' must not contain null.", "scopes");
        }

        var redacted = new List<string>();
        var clean = entry with
        {
            Namespace = Redact(entry.Namespace, "namespace", redacted)!,
            ApiKey = Redact(entry.ApiKey, "apiKey", redacted)!,
            KeyId = Redact(entry.KeyId, "keyId", redacted),
            Reason = Redact(entry.Reason, "reason", redacted),
            Rotation = Redact(entry.Rotation, "rotation", redacted),
            Actor = Redact(entry.Actor, "actor", redacted)!,
            Message = Redact(entry.Message, "message", redacted),
            Scopes = [.. entry.Scopes.Select(scope => Redact(scope, "scopes", redacted)!)],
            IdempotencyKey = Fingerprint(entry.IdempotencyKey, redacted),
        };
        return redacted.Count == 0 ? (entry, []) : (clean, redacted);
    }

    public static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"Audit field '{field}' is required.", field);
        }
    }

    /// <summary>The marker that replaces a value recognised as <paramref name="kind"/>.</summary>
    public static string Marker(KeyMaterialKind kind) => RedactedMarker + KeyMaterialGuard.Describe(kind) + "]";

    private static string? Redact(string? value, string field, List<string> redacted)
    {
        if (KeyMaterialGuard.Classify(value) is not { } kind)
        {
            return value;
        }

        // The whole field goes: a secret split by separators may show only part of itself to the detector.
        redacted.Add(field);
        return Marker(kind);
    }

    // The idempotency key must stay distinct per fact (a shared marker would collapse rows into one), so a
    // suspicious one is replaced by its SHA-256 instead of a marker.
    // The operator builds them as '/'-separated parts (Kind/uid/keyId); each part is judged on its own, because '/'
    // is a base64 character and the whole path would read as one random run.
    private static string? Fingerprint(string? value, List<string> redacted)
    {
        if (value is null || value.Split('/').All(part => KeyMaterialGuard.Classify(part) is null))
        {
            return value;
        }

        redacted.Add("idempotencyKey");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value!)));
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{0,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex KindPattern();
}
