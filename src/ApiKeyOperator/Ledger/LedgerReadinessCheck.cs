using System.Globalization;
using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Reports the ledger on /readyz: whether the trail is behind (rows waiting to be sent again) and whether the
/// ledger is degraded. It never makes the operator unready: the cluster is the source of truth, every waiting row
/// is kept until it lands, and an unready pod would also stop serving key verification to every application.
/// <c>apikey_audit_rows_pending</c> and the ApiKeyAuditTrailBehind alert carry the same fact to alerting.
/// </summary>
public sealed class LedgerReadinessCheck(LedgerHealth health, AuditBacklog? backlog = null) : IReadinessCheck
{
    public string Name => "ledger";

    public ReadinessResult Check()
    {
        var details = new List<string>();
        if (backlog is { Count: > 0 and var waiting, OldestSince: { } since })
        {
            details.Add(string.Create(
                CultureInfo.InvariantCulture, $"behind: {waiting} audit row(s) waiting to be written since {since.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
        }

        var current = health.Current;
        if (current.Status != LedgerHealthStatus.Healthy)
        {
            details.Add($"degraded: {current.Message}");
        }

        return new ReadinessResult(true, details.Count == 0 ? null : string.Join("; ", details));
    }
}
