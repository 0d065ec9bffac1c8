using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// An extra path served on the metrics listener next to <c>/metrics</c> (e.g. <c>/audit</c>): operational read
/// endpoints belong with the metrics, not with the health probes. Register as a singleton.
/// </summary>
public sealed record MetricsRoute(string Path, RequestDelegate Handler);
