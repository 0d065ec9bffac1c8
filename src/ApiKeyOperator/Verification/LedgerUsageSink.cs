using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification;

/// <summary>Hands each successful verification to the ledger without making the caller wait for SQLite.</summary>
public sealed class LedgerUsageSink(UsageRecorder recorder, ILogger<LedgerUsageSink> logger) : IKeyUsageSink
{
    public void Record(string namespaceName, string apiKeyName, string keyId, DateTime at) =>
        _ = RecordAsync(namespaceName, apiKeyName, keyId, at);

    private async Task RecordAsync(string namespaceName, string apiKeyName, string keyId, DateTime at)
    {
        try
        {
            await recorder.RecordAsync(namespaceName, apiKeyName, keyId, at, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            logger.LogWarning("Usage of key {KeyId} of {Namespace}/{ApiKey} not recorded: {Error}", keyId, namespaceName, apiKeyName, e.GetType().Name);
        }
    }
}
