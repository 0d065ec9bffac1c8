namespace KubeSim;

/// <summary>
/// Retained event history (for resume) and the registered watchers. Not thread-safe on its own:
/// every call happens under the ObjectStore lock, which is what orders events, resumes and bookmarks.
/// </summary>
internal sealed class WatchHub(int window)
{
    private readonly Queue<StoredEvent> history = new();
    private readonly List<WatchSink> sinks = [];

    /// <summary>Every event after this revision is still retained.</summary>
    public long CompactedRevision { get; private set; }

    public void Publish(StoredEvent e)
    {
        history.Enqueue(e);
        while (history.Count > window)
        {
            CompactedRevision = history.Dequeue().Revision;
        }

        foreach (var sink in sinks)
        {
            sink.Offer(e);
        }

        sinks.RemoveAll(s => s.IsClosed);
    }

    /// <summary>The retained events after a revision; 410 Gone when some of them were compacted away.</summary>
    public IEnumerable<StoredEvent> Since(long revision)
    {
        if (revision < CompactedRevision)
        {
            throw StatusErrors.Gone(revision, CompactedRevision + 1);
        }

        return history.Where(e => e.Revision > revision);
    }

    public void Add(WatchSink sink) => sinks.Add(sink);

    public void Remove(WatchSink sink) => sinks.Remove(sink);

    public void Bookmark(long revision)
    {
        foreach (var sink in sinks)
        {
            sink.Bookmark(revision);
        }

        sinks.RemoveAll(s => s.IsClosed);
    }

    /// <summary>Closes every HTTP watch (in-process subscribers keep running).</summary>
    public void DropStreams()
    {
        foreach (var sink in sinks.OfType<StreamWatcher>())
        {
            sink.Close();
        }

        sinks.RemoveAll(s => s.IsClosed);
    }

    /// <summary>Ends every HTTP watch of a resource that stops being served (its CRD was deleted).</summary>
    public void DropStreams(string group, string plural)
    {
        foreach (var sink in sinks.OfType<StreamWatcher>().Where(s => s.Group == group && s.Plural == plural))
        {
            sink.Close();
        }

        sinks.RemoveAll(s => s.IsClosed);
    }

    public IReadOnlyList<WatchSink> Sinks => sinks;
}
