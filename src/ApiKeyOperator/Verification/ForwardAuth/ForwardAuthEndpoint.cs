using ApiKeyOperator.Verification.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ApiKeyOperator.Verification.ForwardAuth;

/// <summary>
/// The forward-auth endpoint for gateways (NGINX <c>auth_request</c>, Envoy <c>ext_authz</c> in HTTP mode, Traefik
/// ForwardAuth): any method, the client's credential in <c>Authorization</c> (Bearer key or token, or Basic
/// clientId:clientSecret) or in the route's header, the route's settings in the target (<see cref="ForwardAuthRoute"/>).
/// Answers 200 with identity headers, or 401/403 with <c>WWW-Authenticate</c> and an empty body. A key of a namespace
/// the route does not name is answered exactly like an unknown key and its use is not recorded.
/// </summary>
public sealed class ForwardAuthEndpoint(
    KeyVerifier verifier,
    AccessTokenVerifier? tokens,
    IReviewAuthorizer? gatewayAuthorizer,
    IKeyUsageSink usage,
    ProviderMetrics metrics,
    TimeProvider time,
    ILogger<ForwardAuthEndpoint> logger)
{
    private const string Realm = "Bearer realm=\"apikey-operator\"";

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        if (!ForwardAuthRoute.TryParse(rawTarget, out var route, out var problem))
        {
            await AnswerAsync(context, ForwardAuthReason.InvalidRoute, StatusCodes.Status400BadRequest, body: problem).ConfigureAwait(false);
            return;
        }

        if (!verifier.IsReady)
        {
            context.Response.Headers.RetryAfter = "1";
            await AnswerAsync(context, ForwardAuthReason.Unavailable, StatusCodes.Status503ServiceUnavailable, body: "the operator has not yet loaded the ApiKeys").ConfigureAwait(false);
            return;
        }

        if (gatewayAuthorizer is not null && await CheckGatewayAsync(context, route).ConfigureAwait(false) is { } refused)
        {
            await AnswerAsync(context, refused.Reason, refused.Status, refused.Body).ConfigureAwait(false);
            return;
        }

        var (status, kind) = await VerifyAsync(context.Request, route, context.RequestAborted).ConfigureAwait(false);
        var reason = Reason(status, route);
        if (reason is ForwardAuthReason.Valid or ForwardAuthReason.MissingScopes)
        {
            RecordUsage(status!);
        }

        switch (reason)
        {
            case ForwardAuthReason.Valid:
                var headers = context.Response.Headers;
                headers[ForwardAuthHeaders.Namespace] = status!.ApiKey!.Namespace;
                headers[ForwardAuthHeaders.Name] = status.ApiKey.Name;
                headers[ForwardAuthHeaders.KeyId] = status.KeyId;
                headers[ForwardAuthHeaders.Scopes] = string.Join(' ', status.Scopes ?? []);
                headers[ForwardAuthHeaders.Credential] = kind;
                await AnswerAsync(context, reason, StatusCodes.Status200OK).ConfigureAwait(false);
                break;
            case ForwardAuthReason.MissingScopes:
                context.Response.Headers.WWWAuthenticate = $"{Realm}, error=\"insufficient_scope\", scope=\"{string.Join(' ', route.Scopes)}\"";
                await AnswerAsync(context, reason, StatusCodes.Status403Forbidden).ConfigureAwait(false);
                break;
            case ForwardAuthReason.Missing:
                // RFC 6750 §3.1: no error code when the request carried no credential.
                context.Response.Headers.WWWAuthenticate = Realm;
                await AnswerAsync(context, reason, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
                break;
            default:
                context.Response.Headers.WWWAuthenticate = $"{Realm}, error=\"invalid_token\"";
                await AnswerAsync(context, reason, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
                break;
        }
    }

    /// <returns>Null when the gateway may ask about every namespace of the route; else how to refuse it.</returns>
    private async Task<(ForwardAuthReason Reason, int Status, string? Body)?> CheckGatewayAsync(HttpContext context, ForwardAuthRoute route)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            var token = BearerValue(context.Request.Headers[ForwardAuthHeaders.GatewayAuthorization]);
            var gateway = token is null ? null : await gatewayAuthorizer!.AuthenticateAsync(token, cancellationToken).ConfigureAwait(false);
            if (gateway is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"apikey-operator-gateway\"";
                return (ForwardAuthReason.GatewayUnauthenticated, StatusCodes.Status401Unauthorized, null);
            }

            foreach (var namespaceName in route.Namespaces)
            {
                if (!await gatewayAuthorizer!.IsAllowedAsync(gateway, namespaceName, cancellationToken).ConfigureAwait(false))
                {
                    logger.LogWarning("Gateway {User} may not review keys of namespace {Namespace} named by its forward-auth route", gateway.UserName, namespaceName);
                    context.Response.Headers.WWWAuthenticate = Realm;
                    return (ForwardAuthReason.GatewayForbidden, StatusCodes.Status403Forbidden, null);
                }
            }

            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the type: a client exception may carry a TokenReview body, which echoes the token.
            logger.LogError("Checking a forward-auth gateway failed: {Error}", e.GetType().Name);
            context.Response.Headers.RetryAfter = "1";
            return (ForwardAuthReason.Unavailable, StatusCodes.Status503ServiceUnavailable, "the gateway could not be checked");
        }
    }

    private async Task<(ApiKeyReviewStatus? Status, string Kind)> VerifyAsync(HttpRequest request, ForwardAuthRoute route, CancellationToken cancellationToken)
    {
        var header = request.Headers[route.Header ?? "Authorization"];
        if (header.Count == 0 || (header.Count == 1 && string.IsNullOrWhiteSpace(header[0])))
        {
            return (null, "");
        }

        if (header.Count > 1)
        {
            return (new ApiKeyReviewStatus { Reason = ReviewReason.Malformed }, "");
        }

        var value = header[0]!.Trim();
        if (route.Header is null && value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (Basic(value["Basic ".Length..].Trim(), route), "client-credentials");
        }

        var credential = route.Header is null
            ? (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null)
            : BearerValue(header) ?? value;
        if (string.IsNullOrEmpty(credential))
        {
            return (route.Header is null ? null : new ApiKeyReviewStatus { Reason = ReviewReason.Malformed }, "");
        }

        if (AccessTokenVerifier.LooksLikeJwt(credential))
        {
            return tokens is null
                ? (new ApiKeyReviewStatus { Reason = ReviewReason.Malformed }, "token")
                : (await tokens.ReviewAsync(credential, route.Scopes, cancellationToken).ConfigureAwait(false), "token");
        }

        return (verifier.Verify(new ApiKeyReviewSpec { Key = credential, RequiredScopes = route.Scopes }), "key");
    }

    private ApiKeyReviewStatus Basic(string encoded, ForwardAuthRoute route) =>
        TokenRequestParser.TryDecodeBasic(encoded, out var clientId, out var clientSecret)
            ? verifier.Verify(new ApiKeyReviewSpec { ClientId = clientId, ClientSecret = clientSecret, RequiredScopes = route.Scopes })
            : new ApiKeyReviewStatus { Reason = ReviewReason.Malformed };

    private static ForwardAuthReason Reason(ApiKeyReviewStatus? status, ForwardAuthRoute route)
    {
        if (status is null)
        {
            return ForwardAuthReason.Missing;
        }

        // Whatever the verdict on another tenant's key, the answer is the one for a key that does not exist.
        if (status.ApiKey is not null && !route.Namespaces.Contains(status.ApiKey.Namespace, StringComparer.Ordinal))
        {
            return ForwardAuthReason.WrongNamespace;
        }

        return status.Reason switch
        {
            ReviewReason.Valid => ForwardAuthReason.Valid,
            ReviewReason.MissingScopes => ForwardAuthReason.MissingScopes,
            ReviewReason.Revoked => ForwardAuthReason.Revoked,
            ReviewReason.Expired => ForwardAuthReason.Expired,
            ReviewReason.Malformed => ForwardAuthReason.Malformed,
            _ => ForwardAuthReason.Unknown,
        };
    }

    private void RecordUsage(ApiKeyReviewStatus status)
    {
        try
        {
            usage.Record(status.ApiKey!.Namespace, status.ApiKey.Name, status.KeyId!, time.GetUtcNow().UtcDateTime);
        }
        catch (Exception e)
        {
            logger.LogWarning("Recording use of key {KeyId} of {Namespace}/{ApiKey} failed: {Error}", status.KeyId, status.ApiKey!.Namespace, status.ApiKey.Name, e.GetType().Name);
        }
    }

    private static string? BearerValue(StringValues header)
    {
        if (header.Count != 1 || header[0] is not { } value)
        {
            return null;
        }

        value = value.Trim();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            value = value["Bearer ".Length..].Trim();
        }

        return value.Length == 0 ? null : value;
    }

    private async Task AnswerAsync(HttpContext context, ForwardAuthReason reason, int status, string? body = null)
    {
        metrics.CountDecision(reason);
        logger.LogDebug("Forward-auth decision {Reason} ({Status})", reason, status);
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(body + "\n", context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            context.Response.ContentLength = 0;
        }
    }
}
