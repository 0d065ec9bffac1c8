using System.Security.Cryptography;

namespace ApiKeyOperator.Keys;

/// <summary>
/// Issues credentials in the <see cref="TokenFormat"/> grammar from a CSPRNG. The random source is a
/// constructor argument only so that tests can pin it; production uses the system CSPRNG.
/// </summary>
public sealed class KeyGenerator(RandomNumberGenerator? random = null)
{
    // 62 × 4 = 248: bytes at or above it are rejected so that every base62 digit is equally likely.
    private const int UnbiasedByteLimit = 248;

    private readonly RandomNumberGenerator? _random = random;

    public IssuedCredential Generate(CredentialFormat format, string prefix)
    {
        if (!TokenFormat.IsValidPrefix(prefix))
        {
            throw new ArgumentException(
                $"prefix \"{prefix}\" must be 1–{TokenFormat.MaxPrefixLength} characters of [a-z0-9_] ending in '_'",
                nameof(prefix));
        }

        var keyId = NewKeyId();
        var secret = NewSecret();
        return format switch
        {
            CredentialFormat.Token => IssuedCredential.ForToken(keyId, TokenFormat.FormatToken(prefix, keyId, secret)),
            CredentialFormat.ClientCredentials => IssuedCredential.ForClientCredentials(
                keyId, prefix + keyId, TokenFormat.FormatClientSecret(secret)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown credential format"),
        };
    }

    /// <summary>A fresh public key id: 8 lowercase hex digits from the CSPRNG, independent of any secret.</summary>
    public string NewKeyId()
    {
        Span<byte> bytes = stackalloc byte[TokenFormat.KeyIdLength / 2];
        Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private string NewSecret()
    {
        Span<char> secret = stackalloc char[TokenFormat.SecretLength];
        Span<byte> pool = stackalloc byte[64];
        var filled = 0;
        while (filled < secret.Length)
        {
            Fill(pool);
            foreach (var b in pool)
            {
                if (b < UnbiasedByteLimit && filled < secret.Length)
                {
                    secret[filled++] = Base62.Alphabet[b % 62];
                }
            }
        }

        return new string(secret);
    }

    private void Fill(Span<byte> buffer)
    {
        if (_random is null)
        {
            RandomNumberGenerator.Fill(buffer);
        }
        else
        {
            _random.GetBytes(buffer);
        }
    }
}
