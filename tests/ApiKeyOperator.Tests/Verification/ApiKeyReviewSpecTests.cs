using ApiKeyOperator.Verification;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class ApiKeyReviewSpecTests
{
    private static readonly ApiKeyReviewSpec Spec = new()
    {
        Key = "ak_3f9a1c2e_secret-token-value",
        ClientId = "ak_3f9a1c2e",
        ClientSecret = "secret-client-value",
        RequiredScopes = ["recordings:read"],
    };

    [Fact]
    public void Printing_a_spec_or_a_review_never_shows_the_key_or_secret()
    {
        var printed = new ApiKeyReview { ApiVersion = ApiKeyReview.ApiVersionValue, Kind = ApiKeyReview.KindValue, Spec = Spec }.ToString();

        Assert.DoesNotContain("secret-token-value", printed);
        Assert.DoesNotContain("secret-client-value", printed);
        Assert.Contains("recordings:read", printed);
    }

    [Fact]
    public void Echoed_spec_keeps_the_public_parts_only()
    {
        var echoed = Spec.WithoutSecrets();

        Assert.Null(echoed.Key);
        Assert.Null(echoed.ClientSecret);
        Assert.Equal("ak_3f9a1c2e", echoed.ClientId);
        Assert.Equal(["recordings:read"], echoed.RequiredScopes);
    }
}
