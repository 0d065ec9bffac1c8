namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// A Secret write failed. Replaces the client's exception, whose request carries the Secret's data, so that
/// nothing logging this exception can print key material.
/// </summary>
public sealed class SecretWriteException(string message) : Exception(message);
