using System.Security.Cryptography;
using System.Text;

namespace ApiKeyOperator.Keys;

/// <summary>
/// The non-secret fingerprint stored in <c>status.keys[].hash</c>: <c>sha256:</c> and 64 lowercase hex digits
/// of the UTF-8 credential (Token: the whole key; ClientCredentials: the client secret).
/// </summary>
public static class KeyHash
{
    public const string Prefix = "sha256:";

    public static string Compute(string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));
    }

    /// <summary>
    /// Compares two strings in time that depends only on their lengths, so a caller comparing a presented
    /// value against a stored one leaks nothing through timing.
    /// </summary>
    public static bool FixedTimeEquals(string? a, string? b) =>
        a is not null && b is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
