using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// <c>POST /oauth2/token</c>: the client credentials grant (RFC 6749 §4.4) for ClientCredentials keys. The client
/// authenticates with its clientId and clientSecret (HTTP Basic or form fields); the <see cref="KeyVerifier"/> judges
/// them exactly as an ApiKeyReview would (Retiring keys work until their revocation time, revoked and expired ones do
/// not), after the per-client failure limiter has let the attempt through. A Token-format key can never
/// authenticate here: its hash covers the whole token, never a client secret. Every answer carries
/// <c>Cache-Control: no-store</c>; no answer and no log line quotes the secret.
/// </summary>
public sealed class TokenEndpoint(
    KeyVerifier verifier,
    KeyIndex index,
    IObjectCache<ApiKey> apiKeys,
    TokenOptions options,
    AccessTokenIssuer issuer,
    ClientFailureLimiter limiter,
    TokenAuditQueue audit,
    IKeyUsageSink usage,
    ProviderMetrics metrics,
    TimeProvider time,
    ILogger<TokenEndpoint> logger)
{
    public const string Path = "/oauth2/token";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        var (answer, error) = await DecideAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            metrics.CountTokenFailure(error.MetricLabel);
            if (error.Status == StatusCodes.Status401Unauthorized)
            {
                response.Headers.WWWAuthenticate = "Basic realm=\"apikey-operator\", charset=\"UTF-8\"";
            }

            if (error.RetryAfterSeconds is { } retryAfter)
            {
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            }

            if (error.Status == StatusCodes.Status405MethodNotAllowed)
            {
                response.Headers.Allow = HttpMethods.Post;
            }

            await WriteAsync(context, error.Status, error).ConfigureAwait(false);
            return;
        }

        metrics.CountIssued();
        await WriteAsync(context, StatusCodes.Status200OK, answer!).ConfigureAwait(false);
    }

    private async Task<(TokenResponse? Answer, TokenError? Error)> DecideAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return (null, TokenError.InvalidRequest("the token endpoint accepts only POST", StatusCodes.Status405MethodNotAllowed));
        }

        if (!verifier.IsReady)
        {
            return (null, TokenError.Unavailable("the operator has not yet loaded the ApiKeys; retry shortly"));
        }

        if (!options.SigningConfigured)
        {
            return (null, TokenError.Unavailable("access tokens are off: the operator does not know its namespace (set --token-signing-namespace)"));
        }

        if (!issuer.CanSign(time.GetUtcNow().UtcDateTime))
        {
            return (null, TokenError.Unavailable("no token signing key is loaded yet; retry shortly"));
        }

        var (parsed, problem) = await ParseAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (parsed is null)
        {
            return (null, problem);
        }

        // Only ids in the client-id grammar are tracked: anything else is refused by a grammar check that costs less
        // than the limiter's bookkeeping, and cannot crowd real client ids out of it.
        var tracked = TokenFormat.TryParseClientId(parsed.ClientId, out _);
        if (tracked && !limiter.TryAcquire(parsed.ClientId, out var retryAfter))
        {
            logger.LogDebug("Token request for client {ClientId} refused unchecked: too many failed authentications", parsed.ClientId);
            return (null, TokenError.RateLimited((int)Math.Ceiling(retryAfter.TotalSeconds)));
        }

        var verdict = verifier.Verify(new ApiKeyReviewSpec { ClientId = parsed.ClientId, ClientSecret = parsed.ClientSecret });
        if (!verdict.Authenticated)
        {
            // An id outside the grammar may be a secret pasted into the wrong field: never logged.
            logger.LogInformation("Token request for client {ClientId} failed client authentication: {Reason}", tracked ? parsed.ClientId : "(malformed)", verdict.Reason);
            return (null, TokenError.InvalidClient());
        }

        limiter.Refund(parsed.ClientId);
        if (parsed.GrantType != TokenRequestParser.GrantTypeClientCredentials)
        {
            return (null, TokenError.UnsupportedGrantType());
        }

        var keyScopes = verdict.Scopes ?? [];
        var scopes = parsed.Scopes ?? keyScopes;
        var beyond = scopes.Where(s => !keyScopes.Contains(s, StringComparer.Ordinal)).ToList();
        if (beyond.Count > 0)
        {
            return (null, TokenError.InvalidScope($"the key does not carry scope {string.Join(' ', beyond)}"));
        }

        return Issue(parsed, verdict, scopes);
    }

    private (TokenResponse?, TokenError?) Issue(TokenRequest request, ApiKeyReviewStatus verdict, IReadOnlyList<string> scopes)
    {
        var owner = verdict.ApiKey!;
        var now = time.GetUtcNow().UtcDateTime;
        var issuedAt = AccessTokenIssuer.IssuedAt(now);
        var key = index.FindByKeyId(verdict.KeyId!).FirstOrDefault(k => k.Namespace == owner.Namespace && k.ApiKeyName == owner.Name);
        var requested = apiKeys.Get(new ObjectKey(owner.Namespace, owner.Name))?.Spec?.TokenLifetimeSeconds;
        var lifetime = TokenLifetime.Seconds(requested, issuedAt, key?.ExpiresAt, key?.RevokeAt);
        if (lifetime <= 0)
        {
            // The key ends within the second: as good as expired.
            return (null, TokenError.InvalidClient());
        }

        var token = issuer.Issue(new AccessTokenSubject(request.ClientId, owner, verdict.KeyId!), scopes, now, lifetime);
        if (token is null)
        {
            return (null, TokenError.Unavailable("no token signing key is loaded yet; retry shortly"));
        }

        var row = new AuditEntry
        {
            Kind = AuditEventKinds.TokenIssued,
            Namespace = owner.Namespace,
            ApiKey = owner.Name,
            KeyId = verdict.KeyId,
            Scopes = scopes,
            Actor = $"client:{owner.Namespace}/{owner.Name}",
            Message = string.Create(CultureInfo.InvariantCulture,
                $"jti={token.Jti} kid={token.Kid} expiresAt={token.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ} auth={AuthMethodName(request.Method)}"),
            IdempotencyKey = $"{AuditEventKinds.TokenIssued}/{token.Jti}",
        };
        if (!audit.TryEnqueue(row))
        {
            metrics.CountAuditQueueFull();
            return (null, TokenError.Unavailable("the audit trail is behind; retry shortly"));
        }

        try
        {
            usage.Record(owner.Namespace, owner.Name, verdict.KeyId!, now);
        }
        catch (Exception e)
        {
            // Usage is a record, not part of the decision.
            logger.LogWarning("Recording use of key {KeyId} of {Namespace}/{ApiKey} failed: {Error}", verdict.KeyId, owner.Namespace, owner.Name, e.GetType().Name);
        }

        logger.LogDebug("Issued token {Jti} for key {KeyId} of {Namespace}/{ApiKey}, {Lifetime}s", token.Jti, verdict.KeyId, owner.Namespace, owner.Name, lifetime);
        return (new TokenResponse(token.Token, "Bearer", lifetime, string.Join(' ', scopes)), null);
    }

    private static async Task<(TokenRequest?, TokenError?)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tooLarge = TokenError.InvalidRequest($"the request body is larger than {TokenOptions.MaxFormBytes} bytes", StatusCodes.Status413RequestEntityTooLarge);
        if (request.ContentLength > TokenOptions.MaxFormBytes)
        {
            return (null, tooLarge);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(TokenOptions.MaxFormBytes + 1);
        try
        {
            // One byte past the limit tells an oversized chunked body without buffering it.
            var length = 0;
            int read;
            while (length <= TokenOptions.MaxFormBytes
                   && (read = await request.Body.ReadAsync(buffer.AsMemory(length, TokenOptions.MaxFormBytes + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return length > TokenOptions.MaxFormBytes
                ? (null, tooLarge)
                : TokenRequestParser.Parse(request.Headers.Authorization.ToString(), request.ContentType, buffer.AsSpan(0, length));
        }
        catch (BadHttpRequestException)
        {
            return (null, TokenError.InvalidRequest("the request body could not be read"));
        }
        finally
        {
            // The body held the client secret.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private static string AuthMethodName(ClientAuthMethod method) =>
        method == ClientAuthMethod.ClientSecretBasic ? "client_secret_basic" : "client_secret_post";

    private static async Task WriteAsync<T>(HttpContext context, int status, T body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("scope")] string Scope);
}
