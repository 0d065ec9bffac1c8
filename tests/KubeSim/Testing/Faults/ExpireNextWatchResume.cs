namespace KubeSim;

/// <summary>The next watch that resumes from a resourceVersion gets 410 Gone (an ERROR event with an Expired Status).</summary>
public sealed record ExpireNextWatchResume : Fault;
