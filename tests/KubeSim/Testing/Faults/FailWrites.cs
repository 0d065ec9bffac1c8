using System.Net;

namespace KubeSim;

/// <summary>
/// The next <see cref="Count"/> writes of <see cref="Target"/> fail with <see cref="StatusCode"/>: 409 is a
/// Conflict Status as for a stale resourceVersion, 500 an InternalError, 429 TooManyRequests, 503 ServiceUnavailable.
/// </summary>
public sealed record FailWrites(FaultTarget Target, int Count = 1, HttpStatusCode StatusCode = HttpStatusCode.InternalServerError) : Fault;
