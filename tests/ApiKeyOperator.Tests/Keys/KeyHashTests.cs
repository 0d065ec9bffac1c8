using ApiKeyOperator.Keys;
using Xunit;

namespace ApiKeyOperator.Tests.Keys;

public sealed class KeyHashTests
{
    [Fact]
    public void Hash_is_sha256_of_the_utf8_credential_in_lowercase_hex()
    {
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", KeyHash.Compute("abc"));
    }

    [Theory]
    [InlineData("a", "a", true)]
    [InlineData("a", "b", false)]
    [InlineData("a", "ab", false)]
    [InlineData("", "", true)]
    [InlineData(null, "a", false)]
    [InlineData(null, null, false)]
    public void FixedTimeEquals_is_ordinal_equality(string? a, string? b, bool expected)
    {
        Assert.Equal(expected, KeyHash.FixedTimeEquals(a, b));
    }
}
