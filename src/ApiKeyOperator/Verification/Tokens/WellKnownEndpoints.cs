using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ApiKeyOperator.Verification.Signing;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// Discovery for offline verifiers: <c>/.well-known/openid-configuration</c> (and the same document at RFC 8414's
/// <c>/.well-known/oauth-authorization-server</c>) pointing at <c>/.well-known/jwks.json</c>, which lists every
/// published signing key: the next one before it signs, the current one, and retired ones until their last token
/// has expired. Unauthenticated, like any issuer's JWKS: it holds public keys only.
/// </summary>
public sealed class WellKnownEndpoints(TokenOptions options, SigningKeyRing ring, SigningKeyPolicy policy)
{
    public const string OpenIdConfigurationPath = "/.well-known/openid-configuration";
    public const string AuthorizationServerPath = "/.well-known/oauth-authorization-server";
    public const string JwksPath = "/.well-known/jwks.json";

    private readonly byte[] _discovery = JsonSerializer.SerializeToUtf8Bytes(new Discovery(
        options.Issuer,
        options.Issuer + JwksPath,
        options.Issuer + TokenEndpoint.Path,
        ["client_credentials"],
        ["client_secret_basic", "client_secret_post"],
        [],
        ["public"],
        [SigningKey.Es256]));

    /// <summary>
    /// How long a verifier may cache the JWKS: well under the time a new key is published before it signs, so a
    /// verifier honouring it has the key in time; at most five minutes.
    /// </summary>
    public TimeSpan JwksMaxAge { get; } = TimeSpan.FromSeconds(Math.Clamp(Math.Floor(policy.PublishAhead.TotalSeconds / 4), 0, 300));

    public Task DiscoveryAsync(HttpContext context) => WriteAsync(context, _discovery, TimeSpan.FromMinutes(5));

    public Task JwksAsync(HttpContext context) => WriteAsync(context, ring.JwksDocument, JwksMaxAge);

    private static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body, TimeSpan maxAge)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={(long)maxAge.TotalSeconds}");
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private sealed record Discovery(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("jwks_uri")] string JwksUri,
        [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
        [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypes,
        [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> AuthMethods,
        [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypes,
        [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypes,
        [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms);
}
