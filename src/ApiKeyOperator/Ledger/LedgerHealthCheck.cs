using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Reports <see cref="LedgerHealth"/> to ASP.NET health checks. A damaged or failing ledger is Degraded,
/// never Unhealthy: the operator keeps working from the cluster, so readiness holds and the detail says why.
/// </summary>
public sealed class LedgerHealthCheck(LedgerHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        LedgerHealthSnapshot current = health.Current;
        return Task.FromResult(current.Status == LedgerHealthStatus.Healthy
            ? HealthCheckResult.Healthy("audit ledger ok")
            : HealthCheckResult.Degraded(current.Message));
    }
}
