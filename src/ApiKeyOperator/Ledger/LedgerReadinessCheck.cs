using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Reports the ledger on /readyz without ever making the operator unready: the cluster is the source of
/// truth, so a degraded ledger is a detail to show, not a reason to stop serving.
/// </summary>
public sealed class LedgerReadinessCheck(LedgerHealth health) : IReadinessCheck
{
    public string Name => "ledger";

    public ReadinessResult Check()
    {
        var current = health.Current;
        return current.Status == LedgerHealthStatus.Healthy
            ? new ReadinessResult(true)
            : new ReadinessResult(true, $"degraded: {current.Message}");
    }
}
