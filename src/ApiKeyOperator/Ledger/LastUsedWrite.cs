namespace ApiKeyOperator.Ledger;

/// <summary>
/// A status write the batcher says is due: set <c>status.keys[id].lastUsedAt</c> of one ApiKey to the
/// given UTC times (the latest observed per key id). Writers should still keep the later of this and any
/// value already in status.
/// </summary>
public sealed record LastUsedWrite(string Namespace, string ApiKey, IReadOnlyDictionary<string, DateTime> LastUsedAt);
