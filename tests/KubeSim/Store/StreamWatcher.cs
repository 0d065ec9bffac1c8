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
    private readonly bool bookmarks;
    private readonly int? dropAfterEvents;
    private int delivered;
    private bool closed;

    public StreamWatcher(ResourceDefinition definition, string? ns, Func<JsonObject, bool> filter, bool bookmarks, int capacity, int? dropAfterEvents)
        : base(definition.Group, definition.Plural, ns, filter)
    {
        this.definition = definition;
        this.bookmarks = bookmarks;
        this.dropAfterEvents = dropAfterEvents;
        channel = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
    }

    public ChannelReader<string> Reader => channel.Reader;

    public override bool IsClosed => closed;

    public override void Bookmark(long revision)
    {
        if (!bookmarks || IsClosed)
        {
            return;
        }

        var obj = new JsonObject
        {
            ["kind"] = definition.Kind,
            ["apiVersion"] = definition.Id.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        Write(new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }.ToJsonString(Wire.Options));
    }

    public override void Close()
    {
        closed = true;
        channel.Writer.TryComplete();
    }

    protected override void Deliver(StoredEvent e, string type)
    {
        Write(e.Line(type, definition.Id.ApiVersion));
        delivered++;
        if (dropAfterEvents is { } limit && delivered >= limit)
        {
            Close();
        }
    }

    private void Write(string line)
    {
        if (!channel.Writer.TryWrite(line))
        {
            Close();
        }
    }
}
