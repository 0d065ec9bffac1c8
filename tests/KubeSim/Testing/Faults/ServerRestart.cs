namespace KubeSim;

/// <summary>An API server restart, at once: every watch and every open connection is dropped; stored objects stay.</summary>
public sealed record ServerRestart : Fault;
