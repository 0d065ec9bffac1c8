using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace ApiKeyOperator.Verification;

/// <summary>
/// For a presented credential that matches no key, a namespace that does hold keys, chosen by a keyed hash of the
/// credential's public part: the same made-up key always leads to the same namespace (as a real key does), and
/// without the per-process key nobody can tell which. The review endpoint checks the caller against it so that
/// an unknown key costs the same SubjectAccessReview, cached the same way, as a real key of another tenant.
/// </summary>
internal sealed class DecoyNamespaces
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>Null when no namespace holds keys (then no real key exists to be confused with).</summary>
    public string? For(ApiKeyReviewSpec spec, ImmutableArray<string> namespaces)
    {
        if (namespaces.IsDefaultOrEmpty)
        {
            return null;
        }

        var seed = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(spec.Key ?? spec.ClientId ?? ""));
        return namespaces[(int)(BitConverter.ToUInt32(seed, 0) % (uint)namespaces.Length)];
    }
}
