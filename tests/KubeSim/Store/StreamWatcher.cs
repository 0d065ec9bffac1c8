using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace KubeSim;

/// <summary>
/// A watcher served over HTTP: events become wire lines in a bounded channel. When the channel is full the
/// watcher is closed (the client re-watches) so a slow reader never stalls the store.
/// </summary>
internal sealed class StreamWatcher : WatchSink
{
    private readonly Channel<string> channel;
    private readonly ResourceDefinition definition;
    private readonly WatchRequest request;
    private int delivered;
    private bool closed;

    public StreamWatcher(ResourceDefinition definition, string? ns, WatchRequest request, int capacity)
        : base(definition.Group, definition.Plural, ns, request.Filter)
    {
        this.definition = definition;
        this.request = request;
        channel = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
    }

    public ChannelReader<string> Reader => channel.Reader;

    public override bool IsClosed => closed;

    public override void Bookmark(long revision)
    {
        if (request.Bookmarks && !IsClosed)
        {
            Write(BookmarkLine(revision, null));
        }
    }

    /// <summary>The bookmark that ends the initial events of a sendInitialEvents watch.</summary>
    public void InitialEventsEnd(long revision) =>
        Write(BookmarkLine(revision, new JsonObject { ["k8s.io/initial-events-end"] = "true" }));

    public override void Close()
    {
        closed = true;
        channel.Writer.TryComplete();
    }

    protected override void Deliver(StoredEvent e, string type)
    {
        if (request.Render is { } render)
        {
            var obj = (JsonObject)e.Object.DeepClone();
            obj["apiVersion"] = definition.Id.ApiVersion;
            Write(new JsonObject { ["type"] = type, ["object"] = render(obj, delivered == 0) }.ToJsonString(Wire.Options));
        }
        else
        {
            Write(e.Line(type, definition.Id.ApiVersion));
        }

        delivered++;
        if (request.DropAfterEvents is { } limit && delivered >= limit)
        {
            Close();
        }
    }

    private string BookmarkLine(long revision, JsonObject? annotations)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        var obj = new JsonObject { ["kind"] = definition.Kind, ["apiVersion"] = definition.Id.ApiVersion, ["metadata"] = metadata };
        return new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }.ToJsonString(Wire.Options);
    }

    private void Write(string line)
    {
        if (!channel.Writer.TryWrite(line))
        {
            Close();
        }
    }
}
