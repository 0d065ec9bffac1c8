using ApiKeyOperator.Verification.ForwardAuth;
using ApiKeyOperator.Verification.Tokens;
using Prometheus;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Metrics of the token endpoint, the signing keys and the forward-auth endpoint. Every label value is created at
/// construction, so each series exists at 0 from the start (alerts on <c>increase()</c> see the first event).
/// </summary>
public sealed class ProviderMetrics
{
    private readonly Counter _issued;
    private readonly Counter _tokenFailures;
    private readonly Gauge _signingKeys;
    private readonly Counter _decisions;
    private readonly Counter _auditDropped;

    public ProviderMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _issued = factory.CreateCounter("apikey_tokens_issued_total", "Access tokens issued by /oauth2/token.");
        _tokenFailures = factory.CreateCounter(
            "apikey_token_request_failures_total", "Refused /oauth2/token requests, by error (the RFC 6749 error code, or rate_limited / unavailable).", ["error"]);
        _signingKeys = factory.CreateGauge("apikey_token_signing_keys", "Token signing keys published in the JWKS by this replica.");
        _decisions = factory.CreateCounter(
            "apikey_forward_auth_decisions_total", "Forward-auth answers, by reason (Valid is the only one that lets the request through).", ["reason"]);
        _auditDropped = factory.CreateCounter(
            "apikey_token_audit_queue_full_total", "Token requests refused because the audit queue was full (no token is issued without its audit row).");
        foreach (var error in TokenError.AllCodes)
        {
            _tokenFailures.WithLabels(error);
        }

        foreach (var reason in Enum.GetValues<ForwardAuthReason>())
        {
            _decisions.WithLabels(reason.ToString());
        }
    }

    public void CountIssued() => _issued.Inc();

    public void CountTokenFailure(string error) => _tokenFailures.WithLabels(error).Inc();

    public void CountAuditQueueFull() => _auditDropped.Inc();

    public void SetSigningKeys(int count) => _signingKeys.Set(count);

    public void CountDecision(ForwardAuthReason reason) => _decisions.WithLabels(reason.ToString()).Inc();

    /// <summary>Current value of one failure series (tests).</summary>
    internal double TokenFailures(string error) => _tokenFailures.WithLabels(error).Value;

    internal double Decisions(ForwardAuthReason reason) => _decisions.WithLabels(reason.ToString()).Value;

    internal double Issued => _issued.Value;
}
