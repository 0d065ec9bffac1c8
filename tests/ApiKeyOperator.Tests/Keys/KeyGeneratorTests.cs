using System.Text.RegularExpressions;
using ApiKeyOperator.Keys;
using Xunit;

namespace ApiKeyOperator.Tests.Keys;

public sealed class KeyGeneratorTests
{
    private static readonly Regex TokenGrammar = new("^(?<prefix>[a-z0-9_]*_)(?<id>[0-9a-f]{8})_(?<secret>[0-9A-Za-z]{43})(?<sum>[0-9A-Za-z]{6})$");

    [Theory]
    [InlineData("ak_")]
    [InlineData("tork_live_")]
    [InlineData("_")]
    public void Token_follows_the_documented_grammar(string prefix)
    {
        var credential = new KeyGenerator().Generate(CredentialFormat.Token, prefix);

        var match = TokenGrammar.Match(credential.ApiKey!);
        Assert.True(match.Success, "token does not match the grammar");
        Assert.Equal(prefix, match.Groups["prefix"].Value);
        Assert.Equal(credential.KeyId, match.Groups["id"].Value);
        Assert.Null(credential.ClientId);
        Assert.Null(credential.ClientSecret);
        Assert.True(TokenFormat.TryParse(credential.ApiKey, out var parsed));
        Assert.Equal(new ParsedToken(prefix, credential.KeyId), parsed);
    }

    [Fact]
    public void ClientCredentials_are_prefix_and_id_plus_checksummed_secret()
    {
        var credential = new KeyGenerator().Generate(CredentialFormat.ClientCredentials, "svc_");

        Assert.Null(credential.ApiKey);
        Assert.Equal("svc_" + credential.KeyId, credential.ClientId);
        Assert.Matches("^[0-9A-Za-z]{49}$", credential.ClientSecret!);
        Assert.True(TokenFormat.TryParseClientCredentials(credential.ClientId, credential.ClientSecret, out var parsed));
        Assert.Equal(new ParsedToken("svc_", credential.KeyId), parsed);
        Assert.Equal(KeyHash.Compute(credential.ClientSecret!), credential.Hash);
    }

    [Fact]
    public void Token_hash_covers_the_whole_token()
    {
        var credential = new KeyGenerator().Generate(CredentialFormat.Token, "ak_");

        Assert.Equal(KeyHash.Compute(credential.ApiKey!), credential.Hash);
        Assert.Matches("^sha256:[0-9a-f]{64}$", credential.Hash);
    }

    [Fact]
    public void Secret_carries_at_least_256_bits_and_comes_from_the_random_source()
    {
        var random = new FixedRandom(n => (byte)n);
        var credential = new KeyGenerator(random).Generate(CredentialFormat.Token, "ak_");

        var secret = credential.ApiKey!.Substring("ak_".Length + 9, TokenFormat.SecretLength);
        Assert.True(TokenFormat.SecretLength * Math.Log2(62) >= 256);
        // Bytes 0,1,2,3 make the key id; the secret uses the following bytes mod 62.
        Assert.Equal("00010203", credential.KeyId);
        Assert.Equal(string.Concat(Enumerable.Range(4, 43).Select(b => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[b % 62])), secret);
        Assert.True(random.BytesServed >= 4 + 43);
    }

    [Fact]
    public void Bytes_that_would_bias_base62_are_rejected()
    {
        // A source that only ever yields 255 then 0: 255 ≥ 248 must be skipped, so every secret char is '0'.
        var credential = new KeyGenerator(new FixedRandom(n => n % 2 == 0 ? (byte)255 : (byte)0)).Generate(CredentialFormat.ClientCredentials, "ak_");

        Assert.StartsWith(new string('0', TokenFormat.SecretLength), credential.ClientSecret);
    }

    [Fact]
    public void Ten_thousand_keys_have_distinct_ids_and_secrets()
    {
        var generator = new KeyGenerator();
        var keys = Enumerable.Range(0, 10_000).Select(_ => generator.Generate(CredentialFormat.Token, "ak_")).ToList();

        Assert.Equal(keys.Count, keys.Select(k => k.ApiKey).Distinct().Count());
        Assert.Equal(keys.Count, keys.Select(k => k.ApiKey![12..55]).Distinct().Count());
        // 32-bit ids: a collision among 10k has probability ~1.2%; tolerate at most a couple.
        Assert.True(keys.Select(k => k.KeyId).Distinct().Count() >= keys.Count - 2);
    }

    [Fact]
    public void Secret_characters_cover_the_whole_alphabet_evenly()
    {
        var generator = new KeyGenerator();
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < 2_000; i++)
        {
            foreach (var c in generator.Generate(CredentialFormat.ClientCredentials, "ak_").ClientSecret![..TokenFormat.SecretLength])
            {
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }

        // 86,000 draws over 62 symbols: expected 1387 each; ±25% is > 8 standard deviations.
        Assert.Equal(62, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 1040, 1734));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ak")]
    [InlineData("AK_")]
    [InlineData("ak-")]
    [InlineData("a_very_long_prefix_that_exceeds_32_")]
    public void Invalid_prefix_is_rejected(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => new KeyGenerator().Generate(CredentialFormat.Token, prefix));
        Assert.Contains("prefix", error.Message);
    }

    [Fact]
    public void ToString_never_prints_the_secret()
    {
        var token = new KeyGenerator().Generate(CredentialFormat.Token, "ak_");
        var client = new KeyGenerator().Generate(CredentialFormat.ClientCredentials, "ak_");

        Assert.DoesNotContain(token.ApiKey!, token.ToString());
        Assert.DoesNotContain(client.ClientSecret!, client.ToString());
        Assert.DoesNotContain(token.ApiKey!, $"{token}");
        Assert.Contains(token.KeyId, token.ToString());
    }
}
