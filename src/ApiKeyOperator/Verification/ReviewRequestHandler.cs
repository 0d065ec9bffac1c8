using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ApiKeyOperator.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Answers <c>POST /apis/apikeyoperator.io/v1alpha1/apikeyreviews</c>. Order matters: the caller is
/// authenticated before the body is read, and authorised for the key's namespace before any verdict about
/// that key leaves the process; a caller who may not review that namespace is told what a made-up key would
/// get (Unknown), so the endpoint is no oracle for keys of other tenants. The presented credential is never logged and
/// never written back; the pooled buffer that held the body is sized to the body (bodies are a few hundred bytes,
/// the cap is <see cref="ReviewOptions.MaxBodyBytes"/>) and the part that held it is cleared after use.
/// </summary>
internal sealed class ReviewRequestHandler(
    KeyVerifier verifier,
    IReviewAuthorizer? authorizer,
    IKeyUsageSink usage,
    VerificationMetrics metrics,
    TimeProvider time,
    ILogger<ReviewRequestHandler> logger,
    IBearerTokenReviewer? tokens = null)
{
    public const string Path = "/apis/" + ApiKeyReview.ApiVersionValue + "/" + ApiKeyReview.ResourcePlural;

    private readonly DecoyNamespaces _decoys = new();

    /// <summary>The first buffer of a body sent without Content-Length (chunked); it doubles up to the cap.</summary>
    private const int ChunkedInitialBytes = 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        if (!string.Equals(request.Path.Value, Path, StringComparison.Ordinal))
        {
            await FailAsync(context, StatusCodes.Status404NotFound, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            await FailAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed", $"apikeyreviews supports only {HttpMethods.Post}").ConfigureAwait(false);
            return;
        }

        if (!verifier.IsReady)
        {
            await FailAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable",
                "the operator has not yet loaded the ApiKeys; retry shortly").ConfigureAwait(false);
            return;
        }

        CallerIdentity? caller = null;
        if (authorizer is not null)
        {
            var token = BearerToken.Read(request);
            try
            {
                caller = token is null ? null : await authorizer.AuthenticateAsync(token, cancellationToken).ConfigureAwait(false);
            }
            catch (TokenReviewThrottledException ex)
            {
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await FailAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests", "too many requests with unknown bearer tokens; retry later").ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await AuthorizerFailedAsync(context, "TokenReview", ex).ConfigureAwait(false);
                return;
            }

            if (caller is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await FailAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized").ConfigureAwait(false);
                return;
            }
        }

        if (!IsJson(request.ContentType))
        {
            await FailAsync(context, StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                "the body of an ApiKeyReview must be sent as application/json").ConfigureAwait(false);
            return;
        }

        var (review, problem) = await ReadReviewAsync(request, cancellationToken).ConfigureAwait(false);
        if (review is null)
        {
            await FailAsync(context, problem!.Value.Code, problem.Value.Reason, problem.Value.Message).ConfigureAwait(false);
            return;
        }

        var status = review.Spec!.Token is null ? verifier.Verify(review.Spec) : await ReviewTokenAsync(review.Spec, cancellationToken).ConfigureAwait(false);
        if (caller is not null && status.Reason != ReviewReason.Malformed)
        {
            // One access check for every well-formed credential, real or not: a key of a namespace the caller may
            // not review is answered exactly as a key that does not exist (Unknown, same status code and body), and
            // an unknown key costs the same check against a namespace that holds keys, so neither the answer nor
            // the time it takes says whether the key is real.
            var checkedNamespace = status.ApiKey?.Namespace ?? _decoys.For(review.Spec!, verifier.KeyNamespaces);
            var allowed = false;
            try
            {
                allowed = checkedNamespace is not null
                    && await authorizer!.IsAllowedAsync(caller, checkedNamespace, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await AuthorizerFailedAsync(context, "SubjectAccessReview", ex).ConfigureAwait(false);
                return;
            }

            if (status.ApiKey is not null && !allowed)
            {
                logger.LogInformation("Caller {User} may not review keys of namespace {Namespace}; answered as an unknown key", caller.UserName, status.ApiKey.Namespace);
                status = new ApiKeyReviewStatus { Reason = ReviewReason.Unknown };
            }
        }

        metrics.CountVerdict(status.Reason);
        if (status.Authenticated)
        {
            RecordUsage(status);
        }

        logger.LogDebug("ApiKeyReview by {User}: key {KeyId} of {Namespace}/{ApiKey}: {Reason}",
            caller?.UserName ?? "anonymous", status.KeyId, status.ApiKey?.Namespace, status.ApiKey?.Name, status.Reason);
        var answer = new ApiKeyReview
        {
            ApiVersion = ApiKeyReview.ApiVersionValue,
            Kind = ApiKeyReview.KindValue,
            Spec = review.Spec!.WithoutSecrets(),
            Status = status,
        };
        await WriteAsync(context, StatusCodes.Status201Created, answer).ConfigureAwait(false);
    }

    private static async Task<(ApiKeyReview? Review, (int Code, string Reason, string Message)? Problem)> ReadReviewAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var tooLarge = (StatusCodes.Status413RequestEntityTooLarge, "RequestEntityTooLarge",
            $"the request body is larger than {ReviewOptions.MaxBodyBytes} bytes");
        if (request.ContentLength > ReviewOptions.MaxBodyBytes)
        {
            return (null, tooLarge);
        }

        // Sized to the body: one byte more than Content-Length (so a body longer than announced is noticed) or a
        // small first buffer for a chunked body, grown by doubling; never more than one byte past the cap, so an
        // oversized body is recognised without buffering it.
        const int limit = ReviewOptions.MaxBodyBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } announced ? (int)announced + 1 : ChunkedInitialBytes);
        var length = 0;
        try
        {
            int read;
            while (length < limit
                   && (read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length == buffer.Length && length < limit)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    Release(buffer, length);
                    buffer = larger;
                }
            }

            if (length > ReviewOptions.MaxBodyBytes)
            {
                return (null, tooLarge);
            }

            var review = JsonSerializer.Deserialize(buffer.AsSpan(0, length), ReviewJsonContext.Default.ApiKeyReview);
            if (review?.ApiVersion != ApiKeyReview.ApiVersionValue || review.Kind != ApiKeyReview.KindValue)
            {
                return (null, (StatusCodes.Status400BadRequest, "BadRequest",
                    $"the body must be an object with apiVersion \"{ApiKeyReview.ApiVersionValue}\" and kind \"{ApiKeyReview.KindValue}\""));
            }

            return review.Spec is null
                ? (null, (StatusCodes.Status400BadRequest, "BadRequest", "spec is required"))
                : (review, null);
        }
        catch (JsonException ex)
        {
            // The exception's own message may quote input; only the position is reported.
            return (null, (StatusCodes.Status400BadRequest, "BadRequest",
                $"the request body is not valid JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine})"));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, ex.StatusCode == StatusCodes.Status413RequestEntityTooLarge
                ? tooLarge
                : (StatusCodes.Status400BadRequest, "BadRequest", "the request body could not be read"));
        }
        finally
        {
            Release(buffer, length);
        }
    }

    /// <summary>Clears what the body wrote into a pooled buffer (it held key material) and returns it to the pool.</summary>
    private static void Release(byte[] buffer, int used)
    {
        buffer.AsSpan(0, Math.Min(used, buffer.Length)).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary><c>spec.token</c>: an access token of /oauth2/token, alone (with a key or client credentials it is Malformed).</summary>
    private Task<ApiKeyReviewStatus> ReviewTokenAsync(ApiKeyReviewSpec spec, CancellationToken cancellationToken) =>
        tokens is null || spec.Key is not null || spec.ClientId is not null || spec.ClientSecret is not null
            ? Task.FromResult(new ApiKeyReviewStatus { Reason = ReviewReason.Malformed })
            : tokens.ReviewAsync(spec.Token!, spec.RequiredScopes ?? [], cancellationToken);

    private void RecordUsage(ApiKeyReviewStatus status)
    {
        try
        {
            usage.Record(status.ApiKey!.Namespace, status.ApiKey.Name, status.KeyId!, time.GetUtcNow().UtcDateTime);
        }
        catch (Exception ex)
        {
            // Usage is a record, not part of the verdict: a failing sink must not fail verification.
            logger.LogWarning(ex, "Recording use of key {KeyId} of {Namespace}/{ApiKey} failed", status.KeyId, status.ApiKey!.Namespace, status.ApiKey.Name);
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private Task AuthorizerFailedAsync(HttpContext context, string call, Exception ex)
    {
        // Only the exception type: a client exception may carry the response body, and a TokenReview
        // response echoes the caller's token.
        logger.LogError("{Call} for an ApiKeyReview caller failed: {ErrorType}", call, ex.GetType().Name);
        return FailAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable",
            $"the caller could not be checked: {call} failed");
    }

    private Task FailAsync(HttpContext context, int code, string reason, string message) =>
        WriteAsync(context, code, new FailureStatus(code, reason, message), ReviewJsonContext.Default.FailureStatus);

    private Task WriteAsync(HttpContext context, int code, ApiKeyReview body) => WriteAsync(context, code, body, ReviewJsonContext.Default.ApiKeyReview);

    private async Task WriteAsync<T>(HttpContext context, int code, T body, JsonTypeInfo<T> type)
    {
        metrics.CountResponse(code);
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, type, context.RequestAborted).ConfigureAwait(false);
    }
}
