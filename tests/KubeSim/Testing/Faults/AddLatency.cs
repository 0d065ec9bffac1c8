namespace KubeSim;

/// <summary>Every API request waits <see cref="Delay"/> before it is served (zero turns it off).</summary>
public sealed record AddLatency(TimeSpan Delay) : Fault;
