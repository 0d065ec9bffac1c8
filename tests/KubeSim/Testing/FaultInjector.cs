using System.Net;
using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// Test-only failures: failing writes, added latency, dropped watches, forced 410 on resume, restarts.
/// Resource names are "plural" (any write to it, subresources included), "plural/subresource" or
/// "plural.group" (<see cref="FaultTarget"/>). Faults are <see cref="Fault"/> records given to <see cref="Inject"/>;
/// the methods below are shortcuts. Also configurable over HTTP with a JSON POST to /kubesim/faults.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    // In injection order: the first entry whose target matches a write is used up by it.
    private readonly List<(FaultTarget Target, int Code)> failNext = [];
    private readonly Action restart;
    private readonly TimeProvider time;
    private Random? random;
    private double probability;
    private int probabilityCode = 500;
    private FaultTarget? probabilityTarget;
    private TimeSpan latency;
    private int? dropWatchesAfter;
    private bool forceGone;
    private DateTimeOffset unavailableUntil = DateTimeOffset.MinValue;

    internal FaultInjector(Action restart, TimeProvider time)
    {
        this.restart = restart;
        this.time = time;
    }

    /// <summary>Applies one fault (see the <see cref="Fault"/> records).</summary>
    public void Inject(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        switch (fault)
        {
            case FailWrites f:
                ArgumentOutOfRangeException.ThrowIfNegative(f.Count, nameof(fault));
                CheckCode(f.StatusCode);
                lock (gate)
                {
                    for (var i = 0; i < f.Count; i++)
                    {
                        failNext.Add((f.Target, (int)f.StatusCode));
                    }
                }

                break;
            case FailWritesRandomly f:
                ArgumentOutOfRangeException.ThrowIfLessThan(f.Probability, 0, nameof(fault));
                ArgumentOutOfRangeException.ThrowIfGreaterThan(f.Probability, 1, nameof(fault));
                CheckCode(f.StatusCode);
                lock (gate)
                {
                    probability = f.Probability;
                    random = new Random(f.Seed);
                    probabilityCode = (int)f.StatusCode;
                    probabilityTarget = f.Target;
                }

                break;
            case AddLatency f:
                ArgumentOutOfRangeException.ThrowIfLessThan(f.Delay, TimeSpan.Zero, nameof(fault));
                lock (gate)
                {
                    latency = f.Delay;
                }

                break;
            case DropWatchesAfterEvents f:
                lock (gate)
                {
                    dropWatchesAfter = f.Events;
                }

                break;
            case ExpireNextWatchResume:
                lock (gate)
                {
                    forceGone = true;
                }

                break;
            case ServerRestart f:
                ArgumentOutOfRangeException.ThrowIfLessThan(f.Downtime, TimeSpan.Zero, nameof(fault));
                lock (gate)
                {
                    unavailableUntil = time.GetUtcNow() + f.Downtime;
                }

                restart();
                break;
            default:
                throw new ArgumentException($"unknown fault {fault.GetType().Name}", nameof(fault));
        }
    }

    /// <summary>Shortcut for <see cref="FailWrites"/>.</summary>
    public void FailNextWrites(FaultTarget resource, int count, int statusCode = 500) =>
        Inject(new FailWrites(resource, count, (HttpStatusCode)statusCode));

    /// <summary>Shortcut for <see cref="FailWritesRandomly"/>.</summary>
    public void SetFailureProbability(double probability, int seed, int statusCode = 500, FaultTarget? resource = null) =>
        Inject(new FailWritesRandomly(probability, seed, (HttpStatusCode)statusCode, resource));

    /// <summary>Shortcut for <see cref="AddLatency"/>.</summary>
    public void SetLatency(TimeSpan latency) => Inject(new AddLatency(latency));

    /// <summary>Shortcut for <see cref="DropWatchesAfterEvents"/>.</summary>
    public void DropWatchesAfter(int? events) => Inject(new DropWatchesAfterEvents(events));

    /// <summary>Shortcut for <see cref="ExpireNextWatchResume"/>.</summary>
    public void ForceGoneOnNextWatchResume() => Inject(new ExpireNextWatchResume());

    /// <summary>
    /// Shortcut for <see cref="ServerRestart"/>: every watch and every open connection is dropped, and for
    /// <paramref name="downtime"/> every new API request has its connection closed unanswered, as while the
    /// process is down (the admin paths under /kubesim keep working).
    /// </summary>
    public void Restart(TimeSpan downtime = default) => Inject(new ServerRestart(downtime));

    /// <summary>Clears every configured fault.</summary>
    public void Reset()
    {
        lock (gate)
        {
            failNext.Clear();
            random = null;
            probability = 0;
            probabilityTarget = null;
            latency = TimeSpan.Zero;
            dropWatchesAfter = null;
            forceGone = false;
            unavailableUntil = DateTimeOffset.MinValue;
        }
    }

    /// <summary>True while a <see cref="Restart"/> downtime lasts.</summary>
    internal bool Unavailable
    {
        get
        {
            lock (gate)
            {
                return time.GetUtcNow() < unavailableUntil;
            }
        }
    }

    internal TimeSpan Latency
    {
        get
        {
            lock (gate)
            {
                return latency;
            }
        }
    }

    internal int? WatchEventLimit
    {
        get
        {
            lock (gate)
            {
                return dropWatchesAfter;
            }
        }
    }

    internal bool TakeForcedGone()
    {
        lock (gate)
        {
            var result = forceGone;
            forceGone = false;
            return result;
        }
    }

    /// <summary>The injected failure for this write, if any (consumes one "fail next" entry).</summary>
    internal ApiException? TakeWriteFailure(ResourceDefinition definition, string? subresource, string name)
    {
        lock (gate)
        {
            var index = failNext.FindIndex(f => f.Target.Matches(definition, subresource));
            if (index >= 0)
            {
                var code = failNext[index].Code;
                failNext.RemoveAt(index);
                return Failure(code, definition, name);
            }

            if (random is not null && (probabilityTarget is null || probabilityTarget.Matches(definition, subresource))
                && random.NextDouble() < probability)
            {
                return Failure(probabilityCode, definition, name);
            }

            return null;
        }
    }

    /// <summary>
    /// Applies an admin request, parsed into the same <see cref="Fault"/> records: {"reset", "failNextWrites":{"resource","count","code"},
    /// "failureProbability":{"probability","seed","code","resource"}, "latencyMs", "dropWatchesAfterEvents",
    /// "forceGoneOnNextWatchResume", "restart", "unavailableSeconds" (with restart)}; reset first, then the rest in that order.
    /// </summary>
    internal void Configure(JsonObject request)
    {
        if (request["reset"]?.GetValue<bool>() == true)
        {
            Reset();
        }

        foreach (var fault in Parse(request))
        {
            Inject(fault);
        }
    }

    private static List<Fault> Parse(JsonObject request)
    {
        var faults = new List<Fault>();
        if (request["failNextWrites"] is JsonObject fail)
        {
            faults.Add(new FailWrites(Target(fail), fail["count"]?.GetValue<int>() ?? 1, Code(fail)));
        }

        if (request["failureProbability"] is JsonObject p)
        {
            faults.Add(new FailWritesRandomly(p["probability"]?.GetValue<double>() ?? throw new ArgumentException("failureProbability.probability is required"),
                p["seed"]?.GetValue<int>() ?? 0, Code(p), p["resource"] is null ? null : Target(p)));
        }

        if (request["latencyMs"] is JsonValue ms)
        {
            faults.Add(new AddLatency(TimeSpan.FromMilliseconds(ms.GetValue<double>())));
        }

        if (request.ContainsKey("dropWatchesAfterEvents"))
        {
            faults.Add(new DropWatchesAfterEvents(request["dropWatchesAfterEvents"]?.GetValue<int>()));
        }

        if (request["forceGoneOnNextWatchResume"]?.GetValue<bool>() == true)
        {
            faults.Add(new ExpireNextWatchResume());
        }

        if (request["restart"]?.GetValue<bool>() == true)
        {
            faults.Add(new ServerRestart(TimeSpan.FromSeconds(request["unavailableSeconds"]?.GetValue<double>() ?? 0)));
        }

        return faults;
    }

    private static FaultTarget Target(JsonObject fault) =>
        FaultTarget.Parse(fault["resource"]?.GetValue<string>() ?? throw new ArgumentException("resource is required"));

    private static HttpStatusCode Code(JsonObject fault) => (HttpStatusCode)(fault["code"]?.GetValue<int>() ?? 500);

    private static void CheckCode(HttpStatusCode code)
    {
        if ((int)code is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "an injected failure is a 4xx or 5xx status code");
        }
    }

    private static ApiException Failure(int code, ResourceDefinition definition, string name) => code switch
    {
        409 => StatusErrors.Conflict(definition.Id, name),
        500 => StatusErrors.Internal("Internal error occurred: injected fault"),
        _ => new ApiException(code, code == 429 ? "TooManyRequests" : code == 503 ? "ServiceUnavailable" : "InternalError", "injected fault"),
    };
}
