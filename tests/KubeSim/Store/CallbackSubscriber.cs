using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace KubeSim;

/// <summary>
/// An in-process subscriber: events are queued under the store lock and handed to the callback on a
/// background task, in commit order, so callbacks may write back to the store.
/// </summary>
internal sealed partial class CallbackSubscriber : WatchSink, IDisposable
{
    private readonly Channel<WatchEvent> channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<WatchEvent> handler;
    private readonly Action<CallbackSubscriber> unregister;
    private readonly ILogger logger;
    private readonly string apiVersion;
    private readonly Task pump;

    public CallbackSubscriber(ResourceDefinition definition, Action<WatchEvent> handler, Action<CallbackSubscriber> unregister, ILogger logger)
        : base(definition.Group, definition.Plural, null, static _ => true)
    {
        this.handler = handler;
        this.unregister = unregister;
        this.logger = logger;
        apiVersion = definition.Id.ApiVersion;
        pump = Task.Run(PumpAsync);
    }

    public override bool IsClosed => channel.Reader.Completion.IsCompleted;

    public override void Bookmark(long revision)
    {
        // In-process subscribers see every event; bookmarks carry nothing for them.
    }

    public override void Close() => channel.Writer.TryComplete();

    public void Dispose()
    {
        unregister(this);
        Close();
    }

    /// <summary>Waits for queued callbacks to finish (used on server disposal).</summary>
    public Task Completion => pump;

    protected override void Deliver(StoredEvent e, string type)
    {
        var copy = (JsonObject)e.Object.DeepClone();
        copy["apiVersion"] = apiVersion;
        channel.Writer.TryWrite(new WatchEvent(type, copy));
    }

    private async Task PumpAsync()
    {
        await foreach (var e in channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                handler(e);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogHandlerFailed(ex, e.Type);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A store subscriber failed on a {Type} event")]
    private partial void LogHandlerFailed(Exception ex, string type);
}
