using ApiKeyOperator.Verification.ForwardAuth;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class ForwardAuthRouteTests
{
    [Theory]
    [InlineData("/forward-auth?namespaces=payments&scopes=recordings:read")]
    [InlineData("/forward-auth/namespaces=payments/scopes=recordings:read/-")]
    [InlineData("/forward-auth/namespaces=payments/scopes=recordings:read/-/api/v1/recordings?namespaces=evil&scopes=")]
    [InlineData("/forward-auth/namespaces=payments/scopes=recordings%3Aread/-/")]
    public void Query_and_path_forms_read_the_same_route(string target)
    {
        Assert.True(ForwardAuthRoute.TryParse(target, out var route, out var problem), problem);

        Assert.Equal(["payments"], route.Namespaces);
        Assert.Equal(["recordings:read"], route.Scopes);
        Assert.Null(route.Header);
    }

    [Fact]
    public void Several_namespaces_scopes_and_a_header()
    {
        Assert.True(ForwardAuthRoute.TryParse("/forward-auth?namespaces=a,b&scopes=x,y/z&header=X-Api-Key", out var route, out _));

        Assert.Equal(["a", "b"], route.Namespaces);
        Assert.Equal(["x", "y/z"], route.Scopes);
        Assert.Equal("X-Api-Key", route.Header);
    }

    [Theory]
    [InlineData("/forward-auth", "namespaces")]
    [InlineData("/forward-auth?scopes=a", "namespaces")]
    [InlineData("/forward-auth?namespaces=", "namespaces")]
    [InlineData("/forward-auth?namespaces=Payments", "namespace names")]
    [InlineData("/forward-auth?namespaces=a&namespaces=b", "twice")]
    [InlineData("/forward-auth?namespaces=a&namespace=b", "settings are")]
    [InlineData("/forward-auth?namespaces=a&scopes=%22", "scope names")]
    [InlineData("/forward-auth?namespaces=a&header=X%20Api", "header name")]
    [InlineData("/forward-auth/namespaces=a", "'-'")]
    [InlineData("/forward-auth/namespaces=a/api/v1", "'-'")]
    [InlineData("/forward-authx?namespaces=a", "path")]
    [InlineData("/other", "path")]
    public void Invalid_routes_are_refused_with_a_reason(string target, string problemMentions)
    {
        Assert.False(ForwardAuthRoute.TryParse(target, out _, out var problem));

        Assert.Contains(problemMentions, problem);
    }

    /// <summary>
    /// A gateway that appends the client's path and query (Envoy's path_prefix, whose appended path starts with '/')
    /// must not let the client choose the tenants, whichever form the route was written in: what the client adds
    /// either lands after the '-' (ignored) or breaks the route (refused).
    /// </summary>
    [Theory]
    [InlineData("/forward-auth/namespaces=payments/-", "/x?namespaces=victim")]
    [InlineData("/forward-auth/namespaces=payments/-", "/namespaces=victim/-")]
    [InlineData("/forward-auth?namespaces=payments", "/&namespaces=victim")]
    [InlineData("/forward-auth?namespaces=payments", "/,victim")]
    [InlineData("/forward-auth?namespaces=payments&", "/x&namespaces=victim")]
    [InlineData("/forward-auth/", "?namespaces=victim")]
    [InlineData("/forward-auth", "/?namespaces=victim")]
    [InlineData("/forward-auth/namespaces=payments", "/-/?namespaces=victim")]
    public void Client_text_appended_to_the_route_never_widens_it(string configured, string appended)
    {
        var parsed = ForwardAuthRoute.TryParse(configured + appended, out var route, out _);

        Assert.True(!parsed || route!.Namespaces.SequenceEqual(["payments"]), $"{configured}{appended} accepted namespaces {string.Join(',', route?.Namespaces ?? [])}");
    }
}
