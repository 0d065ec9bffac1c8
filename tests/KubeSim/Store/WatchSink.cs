using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>A registered watcher of one resource (optionally one namespace and a filter).</summary>
internal abstract class WatchSink(string group, string plural, string? ns, Func<JsonObject, bool> filter)
{
    public string Group { get; } = group;

    public string Plural { get; } = plural;

    public string? Namespace { get; } = ns;

    public abstract bool IsClosed { get; }

    /// <summary>Called under the store lock: decides what the event means to this watcher and delivers it.</summary>
    public void Offer(StoredEvent e)
    {
        if (IsClosed || e.Group != Group || e.Plural != Plural || (Namespace is not null && e.Namespace != Namespace))
        {
            return;
        }

        var now = filter(e.Object);
        var before = e.Previous is not null && filter(e.Previous);
        // An object that moves in or out of a selector appears to the watcher as added or deleted, as in kube-apiserver.
        var type = e.Type switch
        {
            "MODIFIED" when now && before => "MODIFIED",
            "MODIFIED" when now => "ADDED",
            "MODIFIED" when before => "DELETED",
            "MODIFIED" => null,
            _ => now ? e.Type : null,
        };
        if (type is not null)
        {
            Deliver(e, type);
        }
    }

    public abstract void Bookmark(long revision);

    public abstract void Close();

    protected abstract void Deliver(StoredEvent e, string type);
}
