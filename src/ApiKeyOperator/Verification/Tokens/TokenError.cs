using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// An error response of the token endpoint (RFC 6749 §5.2): HTTP status, <c>error</c> code and a description that
/// never quotes the request. <see cref="MetricLabel"/> separates the two kinds of <c>temporarily_unavailable</c>.
/// </summary>
public sealed record TokenError(
    [property: JsonIgnore] int Status,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description,
    [property: JsonIgnore] string MetricLabel)
{
    public const string InvalidRequestCode = "invalid_request";
    public const string InvalidClientCode = "invalid_client";
    public const string UnsupportedGrantTypeCode = "unsupported_grant_type";
    public const string InvalidScopeCode = "invalid_scope";
    public const string TemporarilyUnavailableCode = "temporarily_unavailable";
    public const string RateLimitedLabel = "rate_limited";
    public const string UnavailableLabel = "unavailable";

    /// <summary>Every <see cref="MetricLabel"/> value.</summary>
    public static IReadOnlyList<string> AllCodes { get; } =
        [InvalidRequestCode, InvalidClientCode, UnsupportedGrantTypeCode, InvalidScopeCode, RateLimitedLabel, UnavailableLabel];

    /// <summary>Seconds for <c>Retry-After</c>, when the client should come back later.</summary>
    [JsonIgnore]
    public int? RetryAfterSeconds { get; init; }

    public static TokenError InvalidRequest(string description, int status = 400) => new(status, InvalidRequestCode, description, InvalidRequestCode);

    /// <summary>401 with <c>WWW-Authenticate: Basic</c>; one description for every cause, so the answer is no oracle.</summary>
    public static TokenError InvalidClient() => new(401, InvalidClientCode, "client authentication failed", InvalidClientCode);

    public static TokenError UnsupportedGrantType() =>
        new(400, UnsupportedGrantTypeCode, "only grant_type=client_credentials is supported", UnsupportedGrantTypeCode);

    public static TokenError InvalidScope(string description) => new(400, InvalidScopeCode, description, InvalidScopeCode);

    public static TokenError RateLimited(int retryAfterSeconds) =>
        new(429, TemporarilyUnavailableCode, "too many failed client authentications for this client; retry later", RateLimitedLabel)
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    public static TokenError Unavailable(string description) =>
        new(503, TemporarilyUnavailableCode, description, UnavailableLabel) { RetryAfterSeconds = 1 };
}
