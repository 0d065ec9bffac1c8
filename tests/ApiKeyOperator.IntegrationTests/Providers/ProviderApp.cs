using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>
/// A provider nobody here wrote the verification of: ASP.NET Core's JwtBearer handler with OIDC discovery
/// (<c>Authority</c> = the operator's issuer), validating audience, type and lifetime offline from the JWKS. This is
/// the README's provider sample; <c>GET /recordings</c> needs scope <c>recordings:read</c>.
/// </summary>
public sealed class ProviderApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProviderApp(WebApplication app)
    {
        _app = app;
        Url = new Uri(app.Urls.First());
    }

    public Uri Url { get; }

    public static async Task<ProviderApp> StartAsync(string issuer, string audience, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));

        // --- README provider sample (begin) ---
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.Authority = issuer;                      // discovery: {issuer}/.well-known/openid-configuration
            options.Audience = audience;                     // --token-audience (default: the issuer)
            options.RequireHttpsMetadata = issuer.StartsWith("https://", StringComparison.Ordinal);
            options.MapInboundClaims = false;                // keep sub, scope, namespace, apikey, key_id as they are
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];
            options.TokenValidationParameters.ClockSkew = TimeSpan.Zero;
        });
        builder.Services.AddAuthorization(authorization => authorization.AddPolicy("recordings:read", policy =>
            policy.RequireAssertion(context => context.User.FindFirst("scope")?.Value.Split(' ').Contains("recordings:read") == true)));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/recordings", (HttpContext context) => Results.Json(new
        {
            client = context.User.FindFirst("sub")?.Value,
            apiKey = $"{context.User.FindFirst("namespace")?.Value}/{context.User.FindFirst("apikey")?.Value}",
            keyId = context.User.FindFirst("key_id")?.Value,
        })).RequireAuthorization("recordings:read");
        // --- README provider sample (end) ---

        await app.StartAsync(cancellationToken);
        return new ProviderApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
