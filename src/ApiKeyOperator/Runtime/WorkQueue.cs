namespace ApiKeyOperator.Runtime;

/// <summary>
/// The controller's queue of object keys, with client-go's semantics: a key is queued at most once (dirty set),
/// is handed to at most one worker at a time (processing set), and a key added while it is processed is
/// processed again after <see cref="Done"/>. Failures wait what the rate limiter says (by default
/// <see cref="DefaultControllerRateLimiter"/>: per-key backoff and an overall token bucket) and
/// <see cref="AddAfter"/> schedules timed work on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<ObjectKey> _queue = new();
    private readonly HashSet<ObjectKey> _dirty = [];
    private readonly Dictionary<ObjectKey, long> _queuedAt = [];
    private readonly Dictionary<ObjectKey, long> _processingSince = [];
    private readonly Dictionary<ObjectKey, (DateTimeOffset Due, ITimer Timer)> _waiting = [];
    private readonly LinkedList<TaskCompletionSource<ObjectKey?>> _getters = new();
    private readonly IRateLimiter<ObjectKey> _rateLimiter;
    private readonly TimeProvider _time;
    private readonly WorkQueueMetrics? _metrics;
    private bool _shuttingDown;

    public WorkQueue(string name, TimeProvider time, WorkQueueMetrics? metrics = null, IRateLimiter<ObjectKey>? rateLimiter = null)
    {
        Name = name;
        _time = time;
        _metrics = metrics;
        _rateLimiter = rateLimiter ?? DefaultControllerRateLimiter.Create<ObjectKey>(time);
        _metrics?.Track(this);
    }

    public string Name { get; }

    /// <summary>Keys waiting for a worker (not those in flight or delayed).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(ObjectKey key)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(key))
            {
                return;
            }

            _metrics?.Added(Name);
            _queuedAt[key] = _time.GetTimestamp();
            if (_processingSince.ContainsKey(key))
            {
                return;
            }

            _queue.AddLast(key);
            _metrics?.Depth(Name, _queue.Count);
            HandOut();
        }
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed; an earlier pending schedule for the key wins.</summary>
    public void AddAfter(ObjectKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _time.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = (due, timer);
        }
    }

    /// <summary>Adds the key once the rate limiter allows (a failed reconcile).</summary>
    public void AddRateLimited(ObjectKey key)
    {
        _metrics?.Retried(Name);
        AddAfter(key, _rateLimiter.When(key));
    }

    /// <summary>Resets the key's backoff (a successful reconcile).</summary>
    public void Forget(ObjectKey key) => _rateLimiter.Forget(key);

    public int NumRequeues(ObjectKey key) => _rateLimiter.NumRequeues(key);

    /// <summary>
    /// Waits for the next key and marks it in flight; the caller must call <see cref="Done"/>. Returns null once the
    /// queue is shut down.
    /// </summary>
    public Task<ObjectKey?> GetAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<ObjectKey?> getter;
        LinkedListNode<TaskCompletionSource<ObjectKey?>> node;
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ObjectKey?>(cancellationToken);
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return Task.FromResult<ObjectKey?>(null);
            }

            if (_queue.First is { } first)
            {
                _queue.RemoveFirst();
                Start(first.Value);
                return Task.FromResult<ObjectKey?>(first.Value);
            }

            getter = new TaskCompletionSource<ObjectKey?>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _getters.AddLast(getter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_lock)
                {
                    if (node.List is not null)
                    {
                        _getters.Remove(node);
                    }
                }

                getter.TrySetCanceled(cancellationToken);
            });
            getter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return getter.Task;
    }

    /// <summary>Ends processing of a key; if it was added meanwhile it is queued again.</summary>
    public void Done(ObjectKey key)
    {
        lock (_lock)
        {
            if (!_processingSince.Remove(key, out var since))
            {
                return;
            }

            _metrics?.WorkDuration(Name, _time.GetElapsedTime(since).TotalSeconds);
            if (_dirty.Contains(key) && !_shuttingDown)
            {
                _queue.AddLast(key);
                _metrics?.Depth(Name, _queue.Count);
                HandOut();
            }
        }
    }

    /// <summary>
    /// Stops handing out keys: waiting getters get null, queued and delayed keys are dropped (a level-based
    /// controller finds them again on its next start), keys in flight may still call <see cref="Done"/>.
    /// </summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            _shuttingDown = true;
            foreach (var (_, pending) in _waiting)
            {
                pending.Timer.Dispose();
            }

            _waiting.Clear();
            _queue.Clear();
            _dirty.Clear();
            _queuedAt.Clear();
            _metrics?.Depth(Name, 0);
            foreach (var getter in _getters)
            {
                getter.TrySetResult(null);
            }

            _getters.Clear();
        }
    }

    /// <summary>Seconds in flight: the sum over keys and the longest, for the unfinished-work gauges.</summary>
    internal (double Unfinished, double Longest) InFlightSeconds()
    {
        lock (_lock)
        {
            var ages = _processingSince.Values.Select(t => _time.GetElapsedTime(t).TotalSeconds).ToList();
            return (ages.Sum(), ages.Count == 0 ? 0 : ages.Max());
        }
    }

    public void Dispose()
    {
        ShutDown();
        _metrics?.Untrack(this);
    }

    private void Fire(ObjectKey key, DateTimeOffset due)
    {
        lock (_lock)
        {
            if (!_waiting.TryGetValue(key, out var pending) || pending.Due != due)
            {
                return;
            }

            _waiting.Remove(key);
            pending.Timer.Dispose();
            Add(key);
        }
    }

    // Called under the lock: gives queued keys to waiting getters.
    private void HandOut()
    {
        while (_queue.First is { } first && _getters.First is { } getterNode)
        {
            _getters.RemoveFirst();
            _queue.RemoveFirst();
            Start(first.Value);
            if (!getterNode.Value.TrySetResult(first.Value))
            {
                // The getter was cancelled meanwhile: the key goes back to the front, untouched.
                _processingSince.Remove(first.Value);
                _dirty.Add(first.Value);
                _queue.AddFirst(first.Value);
            }
        }

        _metrics?.Depth(Name, _queue.Count);
    }

    // Called under the lock.
    private void Start(ObjectKey key)
    {
        _dirty.Remove(key);
        _processingSince[key] = _time.GetTimestamp();
        if (_queuedAt.Remove(key, out var queuedAt))
        {
            _metrics?.QueueDuration(Name, _time.GetElapsedTime(queuedAt).TotalSeconds);
        }

        _metrics?.Depth(Name, _queue.Count);
    }
}
