using ApiKeyOperator.Keys;
using Xunit;

namespace ApiKeyOperator.Tests.Keys;

public sealed class TokenFormatTests
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_abcdef";

    [Fact]
    public void Crc32_matches_the_IEEE_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"));
    }

    [Fact]
    public void Checksum_is_six_base62_characters_of_the_crc()
    {
        // 0xCBF43926 = 3421780262 = base62 "3jZRME" (computed independently).
        Assert.Equal("3jZRME", TokenFormat.Checksum("123456789"));
        Assert.Equal("000000", TokenFormat.Checksum(""));
    }

    [Fact]
    public void Every_single_character_change_of_a_token_is_rejected()
    {
        var token = new KeyGenerator().Generate(CredentialFormat.Token, "tork_live_").ApiKey!;
        Assert.True(TokenFormat.TryParse(token, out _));

        foreach (var variant in SingleCharacterChanges(token))
        {
            Assert.False(TokenFormat.TryParse(variant, out _), $"accepted a token changed at one position: index {FirstDifference(token, variant)}");
        }
    }

    [Fact]
    public void Every_single_character_change_of_a_client_secret_is_rejected()
    {
        var secret = new KeyGenerator().Generate(CredentialFormat.ClientCredentials, "ak_").ClientSecret!;
        Assert.True(TokenFormat.IsValidClientSecret(secret));

        foreach (var variant in SingleCharacterChanges(secret))
        {
            Assert.False(TokenFormat.IsValidClientSecret(variant), $"accepted a secret changed at index {FirstDifference(secret, variant)}");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ak_")]
    [InlineData("ghp_16C7e42F292c6912E7710c838347Ae178B4a")]
    public void Malformed_tokens_are_rejected(string? token)
    {
        Assert.False(TokenFormat.TryParse(token, out var parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void Truncated_extended_and_prefixless_tokens_are_rejected()
    {
        var token = new KeyGenerator().Generate(CredentialFormat.Token, "ak_").ApiKey!;

        Assert.False(TokenFormat.TryParse(token[..^1], out _));
        Assert.False(TokenFormat.TryParse(token + "0", out _));
        Assert.False(TokenFormat.TryParse(token[3..], out _));
        Assert.False(TokenFormat.TryParse(" " + token, out _));
    }

    [Fact]
    public void A_token_with_a_recomputed_checksum_but_bad_key_id_is_rejected()
    {
        var body = "ak_3F9A1C2E_" + new string('x', TokenFormat.SecretLength);
        Assert.False(TokenFormat.TryParse(body + TokenFormat.Checksum(body), out _));

        var good = "ak_3f9a1c2e_" + new string('x', TokenFormat.SecretLength);
        Assert.True(TokenFormat.TryParse(good + TokenFormat.Checksum(good), out var parsed));
        Assert.Equal(new ParsedToken("ak_", "3f9a1c2e"), parsed);
    }

    [Theory]
    [InlineData("ak_3f9a1c2e", true, "ak_", "3f9a1c2e")]
    [InlineData("tork_live_00000000", true, "tork_live_", "00000000")]
    [InlineData("ak3f9a1c2e", false, null, null)]
    [InlineData("ak_3f9a1c2", false, null, null)]
    [InlineData("ak_3F9A1C2E", false, null, null)]
    [InlineData("3f9a1c2e", false, null, null)]
    public void Client_id_parses_into_prefix_and_key_id(string clientId, bool valid, string? prefix, string? keyId)
    {
        Assert.Equal(valid, TokenFormat.TryParseClientId(clientId, out var parsed));
        Assert.Equal(prefix, parsed?.Prefix);
        Assert.Equal(keyId, parsed?.KeyId);
    }

    [Theory]
    [InlineData("ak_", true)]
    [InlineData("_", true)]
    [InlineData("tork_live_", true)]
    [InlineData("a0_", true)]
    [InlineData("ak", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Ak_", false)]
    [InlineData("ak-_", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz01234_", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345_", false)]
    public void Prefix_validation(string? prefix, bool valid)
    {
        Assert.Equal(valid, TokenFormat.IsValidPrefix(prefix));
    }

    private static IEnumerable<string> SingleCharacterChanges(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            foreach (var c in Alphabet.Distinct())
            {
                if (c != value[i])
                {
                    yield return string.Concat(value.AsSpan(0, i), c.ToString(), value.AsSpan(i + 1));
                }
            }
        }
    }

    private static int FirstDifference(string a, string b) => Enumerable.Range(0, a.Length).First(i => a[i] != b[i]);
}
