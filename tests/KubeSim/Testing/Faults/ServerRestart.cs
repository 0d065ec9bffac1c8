namespace KubeSim;

/// <summary>An API server restart: every watch and every open connection is dropped, then for <see cref="Downtime"/> new API requests are closed unanswered; stored objects stay.</summary>
public sealed record ServerRestart(TimeSpan Downtime = default) : Fault;
