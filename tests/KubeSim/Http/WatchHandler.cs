using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>
/// Serves a watch as chunked HTTP: one JSON event per line, flushed as it happens, until the client goes away,
/// timeoutSeconds passes, the watcher is dropped, or the server stops.
/// </summary>
internal sealed class WatchHandler(ObjectStore store, FaultInjector faults, TableWriter tables, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, ApiRoute route, CancellationToken ct)
    {
        var def = route.Definition!;
        var rvText = HttpIo.Query(context, "resourceVersion");
        long? from = string.IsNullOrEmpty(rvText) ? null
            : long.TryParse(rvText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rv) && rv >= 0 ? rv
            : throw StatusErrors.BadRequest($"invalid resource version: \"{rvText}\"");
        var timeoutText = HttpIo.Query(context, "timeoutSeconds");
        var timeout = int.TryParse(timeoutText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : (TimeSpan?)null;
        var selected = ListFilter.From(context);
        Func<JsonObject, bool> filter = route.Name is { } name ? obj => ObjectMeta.Name(obj) == name && selected(obj) : selected;

        // Other errors (404, 400) become a Status response; only 410 travels inside the stream, as kube-apiserver does.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        StreamWatcher watcher;
        try
        {
            if (from is > 0 && faults.TakeForcedGone())
            {
                throw StatusErrors.Gone(from.Value, store.CurrentRevision);
            }

            watcher = store.Watch(def.Id, route.Namespace, new WatchRequest(filter, from)
            {
                Bookmarks = HttpIo.QueryFlag(context, "allowWatchBookmarks"),
                SendInitialEvents = HttpIo.Query(context, "sendInitialEvents") == "true",
                DropAfterEvents = faults.WatchEventLimit,
                Render = TableWriter.Wants(context) ? (obj, first) => tables.RenderWatchEvent(context, def, obj, first) : null,
            });
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            var error = new JsonObject { ["type"] = "ERROR", ["object"] = StatusErrors.ToStatus(ex) };
            await context.Response.WriteAsync(error.ToJsonString(Wire.Options) + "\n", ct).ConfigureAwait(false);
            return;
        }

        using var timeoutSource = timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutSource.Token);
        try
        {
            await context.Response.StartAsync(linked.Token).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
            await StreamAsync(context, watcher, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or server stopping: the watch simply ends.
        }
        finally
        {
            store.Unwatch(watcher);
        }
    }

    private static async Task StreamAsync(HttpContext context, StreamWatcher watcher, CancellationToken ct)
    {
        var reader = watcher.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var line))
            {
                await context.Response.WriteAsync(line + "\n", ct).ConfigureAwait(false);
            }

            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
    }
}
