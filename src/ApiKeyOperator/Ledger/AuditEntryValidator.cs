using System.Text.RegularExpressions;

namespace ApiKeyOperator.Ledger;

/// <summary>Checks an entry before any I/O: required fields present, kind well-formed, no key material.</summary>
internal static partial class AuditEntryValidator
{
    public static void Validate(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrEmpty(entry.Kind) || !KindPattern().IsMatch(entry.Kind))
        {
            throw new ArgumentException("Audit field 'kind' must be a CamelCase identifier of at most 31 characters (longer runs look like key material).", "kind");
        }

        Require(entry.Namespace, "namespace");
        Require(entry.ApiKey, "apiKey");
        Require(entry.Actor, "actor");
        KeyMaterialGuard.Check(entry.Namespace, "namespace");
        KeyMaterialGuard.Check(entry.ApiKey, "apiKey");
        KeyMaterialGuard.Check(entry.KeyId, "keyId");
        KeyMaterialGuard.Check(entry.Reason, "reason");
        KeyMaterialGuard.Check(entry.Rotation, "rotation");
        KeyMaterialGuard.Check(entry.Actor, "actor");
        KeyMaterialGuard.Check(entry.Message, "message");
        ArgumentNullException.ThrowIfNull(entry.Scopes, "scopes");
        foreach (string? scope in entry.Scopes)
        {
            if (scope is null)
            {
                throw new ArgumentException("Audit field 'scopes' must not contain null.", "scopes");
            }

            KeyMaterialGuard.Check(scope, "scopes");
        }
    }

    public static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"Audit field '{field}' is required.", field);
        }
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{0,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex KindPattern();
}
