namespace ApiKeyOperator.Runtime;

/// <summary>
/// Outcome of one reconcile. <see cref="RequeueAfter"/> schedules timed work (expiry, schedule, grace
/// period end); an exception thrown by the reconciler requeues with per-item exponential backoff instead.
/// </summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    /// <summary>The earlier of two results, so several deadlines can be folded into one requeue.</summary>
    public ReconcileResult Earliest(ReconcileResult other) => (RequeueAfter, other.RequeueAfter) switch
    {
        (null, _) => other,
        (_, null) => this,
        ({ } a, { } b) => a <= b ? this : other,
    };
}
