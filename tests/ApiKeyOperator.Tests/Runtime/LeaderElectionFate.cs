namespace ApiKeyOperator.Tests.Runtime;

/// <summary>How one election attempt goes: request durations (ms), failures, the jitter draw, or a crash instead.</summary>
internal sealed record LeaderElectionFate(int ReadMs, bool ReadFails, int WriteMs, bool WriteFails, double Jitter, bool Crash);
