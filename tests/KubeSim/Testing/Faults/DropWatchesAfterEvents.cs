namespace KubeSim;

/// <summary>Every watch started from now on is closed by the server after <see cref="Events"/> events; null turns it off.</summary>
public sealed record DropWatchesAfterEvents(int? Events) : Fault;
