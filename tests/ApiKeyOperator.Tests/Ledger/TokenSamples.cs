using System.Security.Cryptography;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>Token-shaped strings like the operator issues: {prefix}{8 hex}_{43 base62}.</summary>
internal static class TokenSamples
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Create(string prefix = "tork_live_") =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + "_" + RandomNumberGenerator.GetString(Base62, 43);

    public static IReadOnlyList<string> CreateMany(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Create(i % 2 == 0 ? "tork_live_" : "ak_"))];
}
