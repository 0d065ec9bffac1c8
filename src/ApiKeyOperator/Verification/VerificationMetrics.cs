using Prometheus;

namespace ApiKeyOperator.Verification;

/// <summary>Review endpoint metrics, registered on the factory the host owns (its custom registry).</summary>
public sealed class VerificationMetrics(IMetricFactory factory)
{
    private readonly Counter _verifications = factory.CreateCounter(
        "apikey_verifications_total", "ApiKeyReview verdicts returned, by status.reason.", ["reason"]);

    private readonly Counter _requests = factory.CreateCounter(
        "apikey_review_requests_total", "Requests to the ApiKeyReview endpoint, by HTTP status code.", ["code"]);

    public void CountVerdict(ReviewReason reason) => _verifications.WithLabels(reason.ToString()).Inc();

    public void CountResponse(int statusCode) => _requests.WithLabels(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
}
