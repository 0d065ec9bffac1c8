using System.Net;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// A Secret write failed. Replaces the client's exception, whose request carries the Secret's data, so that
/// nothing logging this exception can print key material. <see cref="Status"/> is the server's HTTP status.
/// </summary>
public sealed class SecretWriteException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}
