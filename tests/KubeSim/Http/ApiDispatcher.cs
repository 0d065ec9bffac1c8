using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeSim.Http;

/// <summary>The single request entry point: route, record, inject faults, hand to the handler, render errors.</summary>
internal sealed partial class ApiDispatcher(
    ObjectStore store,
    FaultInjector faults,
    RequestLog log,
    ResourceHandler resources,
    WatchHandler watches,
    AccessReviewHandler accessReviews,
    ReviewHandler tokenReviews,
    RbacAuthorizer rbac,
    RequestAuthenticator authenticator,
    bool enforceRbac,
    TimeProvider time,
    ILogger logger,
    CancellationToken stopping)
{
    private readonly ConcurrentDictionary<HttpContext, byte> open = new();

    /// <summary>The host:port clients should use (filled in once Kestrel has bound).</summary>
    public string ServerAddress { get; set; } = "";

    public async Task HandleAsync(HttpContext context)
    {
        var route = RouteTable.Parse(context.Request.Path.Value ?? "/", store.Registry);
        if (faults.Unavailable && route.Kind is not (RouteKind.AdminFaults or RouteKind.AdminRequests))
        {
            // A restarting API server answers nothing: the client sees its connection close.
            context.Abort();
            return;
        }

        var verb = Verb(context, route);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;
        open[context] = 0;
        try
        {
            if (route.Kind is not (RouteKind.AdminFaults or RouteKind.AdminRequests or RouteKind.Health))
            {
                authenticator.Authenticate(context);
            }

            await DispatchAsync(context, route, verb, ct).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            await WriteErrorAsync(context, ex, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Client went away or the server is stopping.
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            // A malformed body reached a handler (a field of the wrong JSON type, a duplicate key): a bad request.
            LogBadRequest(ex, context.Request.Method, context.Request.Path.Value ?? "");
            await WriteErrorAsync(context, StatusErrors.BadRequest(ex.Message), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A KubeSim bug: still answer with a Status, as the API server's panic handler does.
            LogInternalError(ex, context.Request.Method, context.Request.Path.Value ?? "");
            await WriteErrorAsync(context, StatusErrors.Internal($"Internal error occurred: {ex.GetType().Name}: {ex.Message}"), ct).ConfigureAwait(false);
        }
        finally
        {
            open.TryRemove(context, out _);
            var def = route.Definition;
            log.Add(Record(context, route, verb) with { StatusCode = context.Response.StatusCode });
        }
    }

    /// <summary>Aborts every open connection except the one asking for it (a simulated API server restart).</summary>
    public void AbortConnections(HttpContext? except)
    {
        foreach (var context in open.Keys.Where(c => c != except))
        {
            try
            {
                context.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The request finished between the snapshot and the abort.
            }
        }
    }

    private async Task DispatchAsync(HttpContext context, ApiRoute route, string verb, CancellationToken ct)
    {
        switch (route.Kind)
        {
            case RouteKind.Version:
                await HttpIo.WriteAsync(context, 200, DiscoveryDocuments.Version(), ct).ConfigureAwait(false);
                break;
            case RouteKind.Health:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok", ct).ConfigureAwait(false);
                break;
            case RouteKind.CoreVersions:
                await HttpIo.WriteAsync(context, 200, DiscoveryDocuments.CoreVersions(ServerAddress), ct).ConfigureAwait(false);
                break;
            case RouteKind.GroupList:
                await HttpIo.WriteAsync(context, 200, DiscoveryDocuments.GroupList(store.Registry), ct).ConfigureAwait(false);
                break;
            case RouteKind.Group:
                await HttpIo.WriteAsync(context, 200, DiscoveryDocuments.GroupDocument(store.Registry, route.Group), ct).ConfigureAwait(false);
                break;
            case RouteKind.ResourceList:
                await HttpIo.WriteAsync(context, 200, DiscoveryDocuments.ResourceList(store.Registry, route.Group, route.Version), ct).ConfigureAwait(false);
                break;
            case RouteKind.OpenApiIndex:
                await HttpIo.WriteAsync(context, 200, OpenApiDocuments.Index(store.Registry), ct).ConfigureAwait(false);
                break;
            case RouteKind.OpenApiDocument:
                await HttpIo.WriteAsync(context, 200, OpenApiDocuments.Document(store.Registry, route.Group, route.Version), ct).ConfigureAwait(false);
                break;
            case RouteKind.AdminFaults:
                await FaultsAsync(context, ct).ConfigureAwait(false);
                break;
            case RouteKind.AdminRequests:
                await RequestsAsync(context, ct).ConfigureAwait(false);
                break;
            case RouteKind.Resource:
                await ResourceAsync(context, route, verb, ct).ConfigureAwait(false);
                break;
            default:
                throw StatusErrors.PathNotFound();
        }
    }

    private async Task ResourceAsync(HttpContext context, ApiRoute route, string verb, CancellationToken ct)
    {
        if (faults.Latency is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, ct).ConfigureAwait(false);
        }

        if (route.Definition!.IsAccessReview)
        {
            await accessReviews.HandleAsync(context, route, verb, ct).ConfigureAwait(false);
            return;
        }

        if (enforceRbac && Record(context, route, verb) is var request && !rbac.Allows(request.User, request, RequestAuthenticator.Of(context)?.Groups))
        {
            throw Forbidden(request);
        }

        if (verb is "create" or "update" or "patch" or "delete" or "deletecollection"
            && faults.TakeWriteFailure(route.Definition!, route.Subresource, route.Name ?? "") is { } failure)
        {
            throw failure;
        }

        if (AuthResources.IsReview(route.Definition))
        {
            await tokenReviews.HandleAsync(context, route, verb, ct).ConfigureAwait(false);
        }
        else if (verb == "watch")
        {
            await watches.HandleAsync(context, route, ct).ConfigureAwait(false);
        }
        else
        {
            await resources.HandleAsync(context, route, verb, ct).ConfigureAwait(false);
        }
    }

    private async Task FaultsAsync(HttpContext context, CancellationToken ct)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw StatusErrors.MethodNotAllowed();
        }

        faults.Configure(await HttpIo.ReadObjectAsync(context, ct).ConfigureAwait(false));
        await HttpIo.WriteAsync(context, 200, new JsonObject { ["status"] = "ok" }, ct).ConfigureAwait(false);
    }

    private async Task RequestsAsync(HttpContext context, CancellationToken ct)
    {
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            log.Reset();
            await HttpIo.WriteAsync(context, 200, new JsonObject { ["status"] = "ok" }, ct).ConfigureAwait(false);
            return;
        }

        var items = new JsonArray([.. log.Snapshot().Select(r => (JsonNode)new JsonObject
        {
            ["verb"] = r.Verb,
            ["group"] = r.Group,
            ["resource"] = r.Resource,
            ["subresource"] = r.Subresource,
            ["namespace"] = r.Namespace,
            ["name"] = r.Name,
            ["code"] = r.StatusCode,
            ["path"] = r.Path,
            ["contentType"] = r.ContentType,
            ["userAgent"] = r.UserAgent,
        })]);
        await HttpIo.WriteAsync(context, 200, new JsonObject { ["items"] = items }, ct).ConfigureAwait(false);
    }

    private static RequestRecord Record(HttpContext context, ApiRoute route, string verb)
    {
        var def = route.Definition;
        return new RequestRecord(verb, def?.Group ?? route.Group, def?.Plural, route.Subresource, route.Namespace, route.Name, 0, context.Request.Path.Value ?? "/")
        {
            User = RequestIdentity.User(context),
            UserAgent = context.Request.Headers.UserAgent.FirstOrDefault(),
            ContentType = context.Request.ContentType,
        };
    }

    // kube-apiserver's wording, e.g. secrets "x" is forbidden: User "u" cannot get resource "secrets" in API group "" in the namespace "n"
    private static ApiException Forbidden(RequestRecord r)
    {
        var resource = r.Subresource is null ? r.Resource : $"{r.Resource}/{r.Subresource}";
        var groupResource = r.Group.Length == 0 ? r.Resource : $"{r.Resource}.{r.Group}";
        var subject = r.Name is null ? groupResource : $"{groupResource} \"{r.Name}\"";
        var scope = r.Namespace is null ? "at the cluster scope" : $"in the namespace \"{r.Namespace}\"";
        return new ApiException(403, "Forbidden", $"{subject} is forbidden: User \"{r.User}\" cannot {r.Verb} resource \"{resource}\" in API group \"{r.Group}\" {scope}")
        {
            Details = new JsonObject { ["name"] = r.Name, ["group"] = r.Group, ["kind"] = r.Resource },
        };
    }

    private static async Task WriteErrorAsync(HttpContext context, ApiException error, CancellationToken ct)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        await HttpIo.WriteAsync(context, error.Code, StatusErrors.ToStatus(error), ct).ConfigureAwait(false);
    }

    private static string Verb(HttpContext context, ApiRoute route)
    {
        var method = context.Request.Method.ToUpperInvariant();
        if (route.Kind != RouteKind.Resource)
        {
            return method.ToLowerInvariant();
        }

        var named = route.Name is not null;
        return method switch
        {
            "GET" when route.WatchPath || HttpIo.QueryFlag(context, "watch") => "watch",
            "GET" => named ? "get" : "list",
            "POST" when !named => "create",
            "PUT" when named => "update",
            "PATCH" when named => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => method.ToLowerInvariant(),
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "KubeSim failed on {Method} {Path}")]
    private partial void LogInternalError(Exception ex, string method, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected a malformed {Method} {Path} as a bad request")]
    private partial void LogBadRequest(Exception ex, string method, string path);
}
