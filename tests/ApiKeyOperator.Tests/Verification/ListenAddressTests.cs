using System.Net;
using ApiKeyOperator.Verification;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData(":8443", null, 8443)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("0.0.0.0:9443", "0.0.0.0", 9443)]
    [InlineData("[::1]:8443", "::1", 8443)]
    [InlineData("localhost:8443", "127.0.0.1", 8443)]
    public void Parses_kubebuilder_style_addresses(string text, string? address, int port)
    {
        var parsed = ListenAddress.Parse(text);

        Assert.Equal(address is null ? null : IPAddress.Parse(address), parsed.Address);
        Assert.Equal(port, parsed.Port);
    }

    [Theory]
    [InlineData("8443")]
    [InlineData(":")]
    [InlineData(":70000")]
    [InlineData(":-1")]
    [InlineData("example.com:8443")]
    public void Rejects_what_is_not_host_and_port(string text)
    {
        Assert.Throws<FormatException>(() => ListenAddress.Parse(text));
    }
}
