namespace ApiKeyOperator.Ledger;

/// <summary>
/// Turns a stream of verification observations into ApiKey status writes, at most one per ApiKey per
/// interval (60 s by default) whatever the traffic. Pure bookkeeping — no I/O — so a status-writing loop
/// owns the side effects: <c>await WaitUntilDueAsync</c>, <c>TakeDue</c>, write each, <c>Requeue</c> failures.
/// An ApiKey seen for the first time (or quiet for an interval) is due at once, so first use shows quickly.
/// Thread-safe: observations come from concurrent verification requests.
/// </summary>
public sealed class LastUsedBatcher
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    private readonly TimeProvider timeProvider;
    private readonly TimeSpan interval;
    private readonly Lock gate = new();
    private readonly Dictionary<(string Namespace, string ApiKey), Dictionary<string, DateTime>> pending = [];
    private readonly Dictionary<(string Namespace, string ApiKey), DateTimeOffset> lastWriteAt = [];
    private TaskCompletionSource observed = NewSignal();

    public LastUsedBatcher(TimeProvider timeProvider, TimeSpan? interval = null)
    {
        this.timeProvider = timeProvider;
        this.interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(this.interval, TimeSpan.Zero, nameof(interval));
    }

    /// <summary>The number of ApiKeys with usage not yet handed out for writing.</summary>
    public int PendingApiKeys
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>Records that <paramref name="keyId"/> verified at <paramref name="usedAt"/>; an older time never replaces a newer one.</summary>
    public void Observe(string @namespace, string apiKey, string keyId, DateTime usedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        // UTC at the ledger's millisecond precision, so status and ledger report the same instant.
        DateTime utc = LedgerTime.FromUnixMs(LedgerTime.ToUnixMs(usedAt));
        TaskCompletionSource? signal = null;
        lock (gate)
        {
            var key = (@namespace, apiKey);
            if (!pending.TryGetValue(key, out Dictionary<string, DateTime>? byKeyId))
            {
                byKeyId = new Dictionary<string, DateTime>(StringComparer.Ordinal);
                pending[key] = byKeyId;
                signal = observed;
                observed = NewSignal();
            }

            if (!byKeyId.TryGetValue(keyId, out DateTime current) || utc > current)
            {
                byKeyId[keyId] = utc;
            }
        }

        signal?.TrySetResult();
    }

    /// <summary>
    /// Hands out every ApiKey whose interval since its last write has passed, with its pending latest times,
    /// and starts that ApiKey's next interval now.
    /// </summary>
    public IReadOnlyList<LastUsedWrite> TakeDue()
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        var due = new List<LastUsedWrite>();
        lock (gate)
        {
            foreach (var (key, byKeyId) in pending)
            {
                if (IsDue(key, now))
                {
                    due.Add(new LastUsedWrite(key.Namespace, key.ApiKey, byKeyId));
                }
            }

            foreach (LastUsedWrite write in due)
            {
                pending.Remove((write.Namespace, write.ApiKey));
                lastWriteAt[(write.Namespace, write.ApiKey)] = now;
            }

            // An ApiKey whose last write is an interval old behaves exactly as one never written: forget it.
            foreach (var (key, at) in lastWriteAt.ToList())
            {
                if (now - at >= interval && !pending.ContainsKey(key))
                {
                    lastWriteAt.Remove(key);
                }
            }
        }

        return due;
    }

    /// <summary>
    /// Gives back a write that failed, merged with anything observed since. It is retried when the ApiKey's
    /// current interval ends, so a failing API server is not hammered.
    /// </summary>
    public void Requeue(LastUsedWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        foreach (var (keyId, at) in write.LastUsedAt)
        {
            Observe(write.Namespace, write.ApiKey, keyId, at);
        }
    }

    /// <summary>When the next write becomes due, or null when nothing is pending.</summary>
    public DateTimeOffset? NextDueAt()
    {
        lock (gate)
        {
            DateTimeOffset? next = null;
            foreach (var key in pending.Keys)
            {
                DateTimeOffset dueAt = lastWriteAt.TryGetValue(key, out DateTimeOffset at) ? at + interval : DateTimeOffset.MinValue;
                if (next is null || dueAt < next)
                {
                    next = dueAt;
                }
            }

            return next;
        }
    }

    /// <summary>Completes when <see cref="TakeDue"/> has something to hand out (timers use the TimeProvider).</summary>
    public async Task WaitUntilDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before reading the schedule: an observation in between completes it.
            Task signal;
            lock (gate)
            {
                signal = observed.Task;
            }

            DateTimeOffset? next = NextDueAt();

            DateTimeOffset now = timeProvider.GetUtcNow();
            if (next is { } dueAt && dueAt <= now)
            {
                return;
            }

            if (next is { } later)
            {
                using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                try
                {
                    Task delay = Task.Delay(later - now, timeProvider, delayCancellation.Token);
                    await Task.WhenAny(signal, delay).WaitAsync(cancellationToken);
                }
                finally
                {
                    // Drop the timer whichever way the wait ended.
                    await delayCancellation.CancelAsync();
                }
            }
            else
            {
                await signal.WaitAsync(cancellationToken);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool IsDue((string Namespace, string ApiKey) key, DateTimeOffset now) =>
        !lastWriteAt.TryGetValue(key, out DateTimeOffset at) || now - at >= interval;
}
