using System.Text;
using ApiKeyOperator.Verification.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class TokenRequestParserTests
{
    private const string Form = "application/x-www-form-urlencoded";

    [Fact]
    public void Basic_credentials_are_form_decoded_as_RFC_6749_section_2_3_1_says()
    {
        // An id and secret with characters form encoding changes: '+' is a space, %XX an octet.
        var header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("my+client%3A1:s%2Bcret"));

        var (request, error) = TokenRequestParser.Parse(header, Form, "grant_type=client_credentials"u8);

        Assert.Null(error);
        Assert.Equal(("my client:1", "s+cret", ClientAuthMethod.ClientSecretBasic), (request!.ClientId, request.ClientSecret, request.Method));
    }

    [Fact]
    public void Post_credentials_scopes_and_charset_parameter()
    {
        var (request, error) = TokenRequestParser.Parse(null, Form + "; charset=UTF-8", "grant_type=client_credentials&client_id=ak_0011aabb&client_secret=s3cr3t&scope=a%20b+b"u8);

        Assert.Null(error);
        Assert.Equal(("ak_0011aabb", "s3cr3t", ClientAuthMethod.ClientSecretPost), (request!.ClientId, request.ClientSecret, request.Method));
        Assert.Equal(["a", "b"], request.Scopes);
        Assert.DoesNotContain("s3cr3t", request.ToString());
    }

    [Fact]
    public void Empty_parameters_count_as_omitted()
    {
        var (request, _) = TokenRequestParser.Parse(null, Form, "grant_type=client_credentials&client_id=id&client_secret=s&scope="u8);

        Assert.Null(request!.Scopes);
    }

    [Theory]
    [InlineData("grant_type=client_credentials&client_id=id", "invalid_client")]
    [InlineData("grant_type=client_credentials&client_secret=s", "invalid_client")]
    [InlineData("client_id=id&client_secret=s", "invalid_request")]
    [InlineData("grant_type=client_credentials&client_id=id&client_secret=s&scope=a&scope=b", "invalid_request")]
    [InlineData("grant_type=client_credentials&client_id=id&client_secret=s&zzz=1&zzz=2", "invalid_request")]
    public void Incomplete_or_repeated_parameters_are_refused(string body, string code)
    {
        var (_, error) = TokenRequestParser.Parse(null, Form, Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, error!.Error);
        Assert.DoesNotContain("zzz", error.Description);
    }

    [Fact]
    public void Body_that_is_not_UTF8_is_refused()
    {
        var (_, error) = TokenRequestParser.Parse(null, Form, [0x67, 0xff, 0xfe]);

        Assert.Equal("invalid_request", error!.Error);
    }

    [Theory]
    [InlineData("Basic " + "YWJj")]
    [InlineData("Basic " + "OnNlY3JldA==")]
    [InlineData("Basic " + "aWQ6")]
    public void Basic_without_both_halves_is_invalid_client(string header)
    {
        var (_, error) = TokenRequestParser.Parse(header, Form, "grant_type=client_credentials"u8);

        Assert.Equal(("invalid_client", 401), (error!.Error, error.Status));
    }

    [Fact]
    public void Basic_with_another_client_id_in_the_body_is_refused()
    {
        var header = "Basic " + Convert.ToBase64String("one:secret"u8);

        var (_, error) = TokenRequestParser.Parse(header, Form, "grant_type=client_credentials&client_id=two"u8);

        Assert.Equal("invalid_request", error!.Error);
    }
}
