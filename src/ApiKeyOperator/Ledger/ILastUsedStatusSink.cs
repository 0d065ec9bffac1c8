namespace ApiKeyOperator.Ledger;

/// <summary>
/// Writes <c>status.keys[].lastUsedAt</c> of one ApiKey (implemented by the controller side with the status
/// writer). Keep the later of the given time and any value already in status.
/// </summary>
public interface ILastUsedStatusSink
{
    /// <returns>
    /// True when the write is done or moot (the ApiKey or key is gone); false to have it retried after the
    /// ApiKey's next interval.
    /// </returns>
    Task<bool> WriteAsync(LastUsedWrite write, CancellationToken cancellationToken);
}
