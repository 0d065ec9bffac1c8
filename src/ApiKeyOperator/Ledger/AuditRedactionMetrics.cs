using Prometheus;

namespace ApiKeyOperator.Ledger;

/// <summary><c>apikey_audit_redactions_total{field}</c>: audit fields replaced by a redaction marker.</summary>
public sealed class AuditRedactionMetrics(IMetricFactory factory)
{
    private readonly Counter _redactions = factory.CreateCounter(
        "apikey_audit_redactions_total",
        "Audit fields whose value looked like key material and was stored as a redaction marker instead, by field.",
        ["field"]);

    public void Count(string field) => _redactions.WithLabels(field).Inc();
}
