namespace ApiKeyOperator.Ledger;

/// <summary>
/// The one call a successful verification makes: records usage in the ledger at once and tells the
/// <see cref="LastUsedBatcher"/>, which schedules the (rate-limited) status write.
/// </summary>
public sealed class UsageRecorder(IAuditLedger ledger, LastUsedBatcher batcher)
{
    /// <returns>False when the ledger write failed (already logged); the status write is scheduled regardless.</returns>
    public Task<bool> RecordAsync(string @namespace, string apiKey, string keyId, DateTime usedAt, CancellationToken cancellationToken)
    {
        batcher.Observe(@namespace, apiKey, keyId, usedAt);
        return ledger.TryRecordUsageAsync(@namespace, apiKey, keyId, usedAt, cancellationToken);
    }
}
