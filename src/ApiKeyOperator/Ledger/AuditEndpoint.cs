using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using ApiKeyOperator.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// <c>GET /audit?namespace=&amp;apiKey=&amp;since=&amp;limit=&amp;continue=</c>: one page of audit rows as
/// <c>{"items":[…],"continue":…}</c>, newest first. A bad parameter is a 400 Kubernetes <c>Status</c> naming
/// it; an unreadable ledger is a 503 Status. Needs <see cref="IAuditLedger"/> and <see cref="TimeProvider"/>
/// in the container. Behind the metrics listener's authentication, rows are those of the namespaces where the
/// caller may <c>get</c> the virtual resource <c>audits.apikeyoperator.io</c> (<see cref="AuditAccess"/>).
/// </summary>
public static class AuditEndpoint
{
    public const string DefaultPattern = "/audit";

    private static readonly ImmutableArray<string> Parameters = ["namespace", "apiKey", "since", "limit", "continue"];

    public static IEndpointConventionBuilder MapAuditEndpoint(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(
            pattern,
            (HttpContext context, [FromServices] IAuditLedger ledger, [FromServices] TimeProvider timeProvider, CancellationToken cancellationToken) =>
                HandleAsync(context.Request.Query, ledger, timeProvider, RequestCaller.Of(context), cancellationToken));
    }

    /// <summary>The endpoint's logic, callable without a server.</summary>
    /// <param name="caller">The authenticated caller; null only on a listener that deliberately checks nobody (<c>--metrics-secure=false</c>).</param>
    public static async Task<IResult> HandleAsync(
        IQueryCollection parameters, IAuditLedger ledger, TimeProvider timeProvider, RequestCaller? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(ledger);
        var query = new AuditQuery();
        foreach (string name in Parameters)
        {
            if (parameters[name].Count > 1)
            {
                return BadRequest(name, $"parameter \"{name}\" must be given once");
            }
        }

        if (Single(parameters, "namespace") is { } ns)
        {
            query = query with { Namespace = ns };
        }

        if (Single(parameters, "apiKey") is { } apiKey)
        {
            query = query with { ApiKey = apiKey };
        }

        if (Single(parameters, "since") is { } sinceText)
        {
            if (!AuditSince.TryParse(sinceText, timeProvider.GetUtcNow(), out DateTime since))
            {
                return BadRequest("since", "parameter \"since\" must be an RFC 3339 time (2026-11-23T12:00:00Z), a date, or a duration such as 30m, 24h or 7d");
            }

            query = query with { Since = since };
        }

        if (Single(parameters, "limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) || limit is < 1 or > AuditQuery.MaxLimit)
            {
                return BadRequest("limit", $"parameter \"limit\" must be an integer from 1 to {AuditQuery.MaxLimit}");
            }

            query = query with { Limit = limit };
        }

        if (Single(parameters, "continue") is { } continueToken)
        {
            query = query with { Continue = continueToken };
        }

        if (caller is not null)
        {
            string? refusal;
            try
            {
                (IReadOnlyList<string>? readable, refusal) = await AuditAccess.ResolveAsync(caller, query.Namespace, ledger, cancellationToken);
                query = query with { Namespaces = readable };
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return StatusResult(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "the caller's access could not be checked: " + ex.GetType().Name, field: null);
            }

            if (refusal is not null)
            {
                return StatusResult(StatusCodes.Status403Forbidden, "Forbidden", refusal, field: null);
            }
        }

        AuditPage page;
        try
        {
            page = await ledger.QueryAsync(query, cancellationToken);
        }
        catch (ArgumentException ex) when (ex.ParamName == "continue")
        {
            return BadRequest("continue", "parameter \"continue\" is invalid: pass the value the previous page returned");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return StatusResult(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", $"the audit ledger is unavailable: {ex.Message}", field: null);
        }

        return Results.Text(AuditJson.Serialize(page, indented: false), "application/json", statusCode: StatusCodes.Status200OK);
    }

    /// <summary>Empty values count as absent, as kube-apiserver treats <c>?labelSelector=</c>.</summary>
    private static string? Single(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out StringValues values) && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static IResult BadRequest(string field, string message) =>
        StatusResult(StatusCodes.Status400BadRequest, "BadRequest", message, field);

    /// <summary>A meta/v1 Status as kube-apiserver sends for failures, naming the parameter at fault.</summary>
    private static IResult StatusResult(int code, string reason, string message, string? field)
    {
        var status = KubernetesStatus.Failure(code, reason, message);
        if (field is not null)
        {
            status["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "FieldValueInvalid",
                    ["message"] = message,
                    ["field"] = field,
                }),
            };
        }

        return Results.Text(status.ToJsonString(), "application/json", statusCode: code);
    }
}
