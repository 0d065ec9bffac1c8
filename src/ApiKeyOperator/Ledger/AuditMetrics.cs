using Prometheus;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// <c>apikey_audit_rows_total{result}</c> (written, duplicate, failed; every result at 0 from the start, so the
/// first failure after a restart is an increase) and <c>apikey_audit_rows_pending</c>, the rows that failed and
/// wait for a re-send.
/// </summary>
public sealed class AuditMetrics
{
    public const string Written = "written";
    public const string Duplicate = "duplicate";
    public const string Failed = "failed";

    private readonly Counter _rows;
    private readonly Gauge _pending;

    public AuditMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _rows = factory.CreateCounter(
            "apikey_audit_rows_total",
            "Audit rows sent to the ledger by result: written (a new row), duplicate (already stored under its idempotency key), failed (not stored).",
            ["result"]);
        foreach (string result in (string[])[Written, Duplicate, Failed])
        {
            _rows.WithLabels(result);
        }

        _pending = factory.CreateGauge(
            "apikey_audit_rows_pending", "Audit rows that failed to be written and wait to be sent again (by idempotency key, until they land).");
        _pending.Set(0);
    }

    public void Count(string result, int rows = 1) => _rows.WithLabels(result).Inc(rows);

    public void SetPending(int rows) => _pending.Set(rows);
}
