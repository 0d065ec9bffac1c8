using System.Net;

namespace KubeSim;

/// <summary>
/// Each write (of <see cref="Target"/>, or of anything when null) fails with <see cref="Probability"/>, drawn
/// from a Random seeded with <see cref="Seed"/>, so a run is reproducible. Replaces an earlier one.
/// </summary>
public sealed record FailWritesRandomly(double Probability, int Seed, HttpStatusCode StatusCode = HttpStatusCode.InternalServerError, FaultTarget? Target = null) : Fault;
