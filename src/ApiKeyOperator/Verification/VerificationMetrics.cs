using Prometheus;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Review endpoint metrics, registered on the factory the host owns (its custom registry). Every verdict's counter
/// exists at 0 from the start, so a rate or increase sees the first Revoked or Unknown after a restart.
/// </summary>
public sealed class VerificationMetrics
{
    private readonly Counter _verifications;

    private readonly Counter _requests;

    public VerificationMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _verifications = factory.CreateCounter("apikey_verifications_total", "ApiKeyReview verdicts returned, by status.reason.", ["reason"]);
        _requests = factory.CreateCounter("apikey_review_requests_total", "Requests to the ApiKeyReview endpoint, by HTTP status code.", ["code"]);
        foreach (ReviewReason reason in Enum.GetValues<ReviewReason>())
        {
            _verifications.WithLabels(reason.ToString());
        }
    }

    public void CountVerdict(ReviewReason reason) => _verifications.WithLabels(reason.ToString()).Inc();

    public void CountResponse(int statusCode) => _requests.WithLabels(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
}
