using System.Text.Json;
using ApiKeyOperator.Verification;

namespace ApiKeyOperator.IntegrationTests.Verification;

/// <summary>What the ApiKeyReview endpoint answered: the HTTP code and the raw body (a review or a Status).</summary>
public sealed record ReviewResponse(int Code, string Body)
{
    /// <summary>The verdict of a 201 answer.</summary>
    public ApiKeyReviewStatus Status =>
        Code == 201
            ? JsonSerializer.Deserialize<ApiKeyReview>(Body)?.Status ?? throw new InvalidOperationException("201 without a status")
            : throw new InvalidOperationException($"no verdict: HTTP {Code} {Body}");

    public ReviewReason Reason => Status.Reason;
}
