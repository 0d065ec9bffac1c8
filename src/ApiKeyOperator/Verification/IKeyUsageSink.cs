namespace ApiKeyOperator.Verification;

/// <summary>
/// Receives every use of a key that authenticated (reasons Valid and MissingScopes), for last-used tracking
/// and the rotation traffic gate. Called on the verification hot path: implementations must return at once
/// (queue the record, do the I/O elsewhere) and must not throw for an overloaded or broken store.
/// </summary>
public interface IKeyUsageSink
{
    /// <param name="at">UTC instant of the verification.</param>
    void Record(string namespaceName, string apiKeyName, string keyId, DateTime at);
}
