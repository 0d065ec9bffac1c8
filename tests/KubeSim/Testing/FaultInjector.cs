using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// Test-only failures: failing writes, added latency, dropped watches, forced 410 on resume, restarts.
/// Resource names are "plural" (any write to it, subresources included), "plural/subresource" or
/// "plural.group". Also configurable over HTTP with a JSON POST to /kubesim/faults.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Queue<int>> failNext = new(StringComparer.Ordinal);
    private readonly Action restart;
    private readonly TimeProvider time;
    private Random? random;
    private double probability;
    private int probabilityCode = 500;
    private string? probabilityResource;
    private TimeSpan latency;
    private int? dropWatchesAfter;
    private bool forceGone;
    private DateTimeOffset unavailableUntil = DateTimeOffset.MinValue;

    internal FaultInjector(Action restart, TimeProvider time)
    {
        this.restart = restart;
        this.time = time;
    }

    /// <summary>The next <paramref name="count"/> writes of the resource fail with 409 Conflict or 500 (or any code given).</summary>
    public void FailNextWrites(string resource, int count, int statusCode = 500)
    {
        lock (gate)
        {
            if (!failNext.TryGetValue(resource, out var queue))
            {
                queue = new Queue<int>();
                failNext[resource] = queue;
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(statusCode);
            }
        }
    }

    /// <summary>Each write (of the resource, or of anything when null) fails with this probability, drawn from a Random seeded with <paramref name="seed"/>.</summary>
    public void SetFailureProbability(double probability, int seed, int statusCode = 500, string? resource = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        lock (gate)
        {
            this.probability = probability;
            random = new Random(seed);
            probabilityCode = statusCode;
            probabilityResource = resource;
        }
    }

    /// <summary>Delay added before every API request is served.</summary>
    public void SetLatency(TimeSpan latency)
    {
        lock (gate)
        {
            this.latency = latency;
        }
    }

    /// <summary>Every watch (started from now on) is closed by the server after delivering this many events; null turns it off.</summary>
    public void DropWatchesAfter(int? events)
    {
        lock (gate)
        {
            dropWatchesAfter = events;
        }
    }

    /// <summary>The next watch that resumes from a resourceVersion gets 410 Gone (an ERROR event with an Expired Status).</summary>
    public void ForceGoneOnNextWatchResume()
    {
        lock (gate)
        {
            forceGone = true;
        }
    }

    /// <summary>
    /// Simulates an API server restart: every watch and every open connection is dropped, and for
    /// <paramref name="downtime"/> every new API request has its connection closed unanswered, as while the
    /// process is down (the admin paths under /kubesim keep working).
    /// </summary>
    public void Restart(TimeSpan downtime = default)
    {
        lock (gate)
        {
            unavailableUntil = time.GetUtcNow() + downtime;
        }

        restart();
    }

    /// <summary>Clears every configured fault.</summary>
    public void Reset()
    {
        lock (gate)
        {
            failNext.Clear();
            random = null;
            probability = 0;
            probabilityResource = null;
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
            foreach (var (resource, queue) in failNext)
            {
                if (queue.Count > 0 && Matches(resource, definition, subresource))
                {
                    return Failure(queue.Dequeue(), definition, name);
                }
            }

            if (random is not null && (probabilityResource is null || Matches(probabilityResource, definition, subresource))
                && random.NextDouble() < probability)
            {
                return Failure(probabilityCode, definition, name);
            }

            return null;
        }
    }

    /// <summary>Applies an admin request: {"failNextWrites":{"resource","count","code"}, "failureProbability":{"probability","seed","code","resource"}, "latencyMs", "dropWatchesAfterEvents", "forceGoneOnNextWatchResume", "restart", "unavailableSeconds" (with restart), "reset"}.</summary>
    internal void Configure(JsonObject request)
    {
        if (request["reset"]?.GetValue<bool>() == true)
        {
            Reset();
        }

        if (request["failNextWrites"] is JsonObject fail)
        {
            FailNextWrites(fail["resource"]!.GetValue<string>(), fail["count"]?.GetValue<int>() ?? 1, fail["code"]?.GetValue<int>() ?? 500);
        }

        if (request["failureProbability"] is JsonObject p)
        {
            SetFailureProbability(p["probability"]!.GetValue<double>(), p["seed"]?.GetValue<int>() ?? 0, p["code"]?.GetValue<int>() ?? 500, p["resource"]?.GetValue<string>());
        }

        if (request["latencyMs"] is JsonValue ms)
        {
            SetLatency(TimeSpan.FromMilliseconds(ms.GetValue<double>()));
        }

        if (request.ContainsKey("dropWatchesAfterEvents"))
        {
            DropWatchesAfter(request["dropWatchesAfterEvents"]?.GetValue<int>());
        }

        if (request["forceGoneOnNextWatchResume"]?.GetValue<bool>() == true)
        {
            ForceGoneOnNextWatchResume();
        }

        if (request["restart"]?.GetValue<bool>() == true)
        {
            Restart(TimeSpan.FromSeconds(request["unavailableSeconds"]?.GetValue<double>() ?? 0));
        }
    }

    private static bool Matches(string resource, ResourceDefinition definition, string? subresource) =>
        resource == definition.Plural
        || resource == definition.Id.GroupResource
        || (subresource is not null && resource == $"{definition.Plural}/{subresource}");

    private static ApiException Failure(int code, ResourceDefinition definition, string name) => code switch
    {
        409 => StatusErrors.Conflict(definition.Id, name),
        500 => StatusErrors.Internal("Internal error occurred: injected fault"),
        _ => new ApiException(code, code == 429 ? "TooManyRequests" : code == 503 ? "ServiceUnavailable" : "InternalError", "injected fault"),
    };
}
