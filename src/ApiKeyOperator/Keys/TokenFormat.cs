using System.Diagnostics.CodeAnalysis;

namespace ApiKeyOperator.Keys;

/// <summary>
/// Grammar of issued credentials, modelled on GitHub's token format: a scanner recognises a real key by its
/// shape and checksum alone, without a lookup.
/// <code>
/// token         = prefix key-id "_" secret checksum
/// client-id     = prefix key-id
/// client-secret = secret checksum
/// prefix        = *( %x61-7A / DIGIT / "_" ) "_"        ; spec.prefix: [a-z0-9_]*_ , at most 32 chars
/// key-id        = 8 lowercase-hex                        ; public id, random, not derived from the secret
/// secret        = 43 base62                              ; CSPRNG, 43 × log2(62) ≈ 256.04 bits
/// checksum      = 6 base62                               ; CRC-32 (IEEE), big-endian base62, '0'-padded
/// base62        = DIGIT / %x41-5A / %x61-7A              ; alphabet order 0-9 A-Z a-z
/// </code>
/// The token's checksum covers everything before it (<c>prefix key-id "_" secret</c>), so a changed prefix or
/// key id is caught too. The client secret's checksum covers its <c>secret</c> only, so a client secret can
/// be recognised on its own. Example token: <c>ak_3f9a1c2e_</c> followed by 49 base62 characters.
/// </summary>
public static class TokenFormat
{
    public const int KeyIdLength = 8;
    public const int SecretLength = 43;
    public const int ChecksumLength = 6;
    public const int MaxPrefixLength = 32;
    public const int ClientSecretLength = SecretLength + ChecksumLength;

    /// <summary>Length of everything after the prefix in a token.</summary>
    private const int TokenTailLength = KeyIdLength + 1 + SecretLength + ChecksumLength;

    public static bool IsValidPrefix([NotNullWhen(true)] string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxPrefixLength || prefix[^1] != '_')
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidKeyId([NotNullWhen(true)] string? keyId) =>
        keyId is { Length: KeyIdLength } && IsLowerHex(keyId);

    /// <summary>Validates shape and checksum of a token; on success returns its prefix and key id.</summary>
    public static bool TryParse(string? token, [NotNullWhen(true)] out ParsedToken? parsed)
    {
        parsed = null;
        if (token is null || token.Length <= TokenTailLength || token.Length > MaxPrefixLength + TokenTailLength)
        {
            return false;
        }

        var prefixLength = token.Length - TokenTailLength;
        var prefix = token[..prefixLength];
        var keyId = token.AsSpan(prefixLength, KeyIdLength);
        var afterId = prefixLength + KeyIdLength;
        var body = token.AsSpan(0, token.Length - ChecksumLength);
        var checksum = token.AsSpan(token.Length - ChecksumLength);
        if (!IsValidPrefix(prefix)
            || !IsLowerHex(keyId)
            || token[afterId] != '_'
            || !Base62.IsBase62(token.AsSpan(afterId + 1))
            || !checksum.SequenceEqual(Checksum(body)))
        {
            return false;
        }

        parsed = new ParsedToken(prefix, keyId.ToString());
        return true;
    }

    /// <summary>Splits a client id (<c>prefix key-id</c>) into its prefix and key id.</summary>
    public static bool TryParseClientId(string? clientId, [NotNullWhen(true)] out ParsedToken? parsed)
    {
        parsed = null;
        if (clientId is null || clientId.Length <= KeyIdLength)
        {
            return false;
        }

        var prefix = clientId[..^KeyIdLength];
        var keyId = clientId[^KeyIdLength..];
        if (!IsValidPrefix(prefix) || !IsValidKeyId(keyId))
        {
            return false;
        }

        parsed = new ParsedToken(prefix, keyId);
        return true;
    }

    /// <summary>Validates shape and checksum of a client secret.</summary>
    public static bool IsValidClientSecret(string? clientSecret) =>
        clientSecret is { Length: ClientSecretLength }
        && Base62.IsBase62(clientSecret)
        && clientSecret.AsSpan(SecretLength).SequenceEqual(Checksum(clientSecret.AsSpan(0, SecretLength)));

    /// <summary>Validates a client id and secret pair; on success returns the prefix and key id.</summary>
    public static bool TryParseClientCredentials(string? clientId, string? clientSecret, [NotNullWhen(true)] out ParsedToken? parsed)
    {
        parsed = null;
        return IsValidClientSecret(clientSecret) && TryParseClientId(clientId, out parsed);
    }

    internal static string FormatToken(string prefix, string keyId, string secret)
    {
        var body = string.Concat(prefix, keyId, "_", secret);
        return body + Checksum(body);
    }

    internal static string FormatClientSecret(string secret) => secret + Checksum(secret);

    internal static string Checksum(ReadOnlySpan<char> body) => Base62.Encode(Crc32.Compute(body), ChecksumLength);

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
