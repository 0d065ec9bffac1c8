using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// client-go's per-object spam filter: each involved object (kind, namespace, name, uid, apiVersion) has its own token
/// bucket of <see cref="EventRecorderOptions.SpamBurst"/> Events refilled at one per
/// <see cref="EventRecorderOptions.SpamRefill"/>, so one object stuck in a failing loop cannot flood the Events of the
/// cluster, while a burst across many objects is not limited here (the queue bounds that). Buckets of the least
/// recently seen objects are forgotten past <see cref="EventRecorderOptions.Capacity"/>: a forgotten object starts full.
/// </summary>
public sealed class EventSpamFilter
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly int _burst;
    private readonly double _perSecond;
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<Bucket>> _buckets = new(StringComparer.Ordinal);
    private readonly LinkedList<Bucket> _recent = new();

    public EventSpamFilter(EventRecorderOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SpamBurst);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SpamRefill, TimeSpan.Zero);
        _time = time;
        _burst = options.SpamBurst;
        _perSecond = 1 / options.SpamRefill.TotalSeconds;
        _capacity = Math.Max(1, options.Capacity);
    }

    /// <summary>Takes a token of the object's bucket: true if the Event may be written.</summary>
    public bool Allow(V1ObjectReference involved)
    {
        var key = $"{involved.Kind}\n{involved.NamespaceProperty}\n{involved.Name}\n{involved.Uid}\n{involved.ApiVersion}";
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_buckets.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
            }
            else
            {
                node = new LinkedListNode<Bucket>(new Bucket(key, _burst, now));
                _buckets[key] = node;
                if (_buckets.Count > _capacity && _recent.Last is { } oldest)
                {
                    _recent.RemoveLast();
                    _buckets.Remove(oldest.Value.Key);
                }
            }

            _recent.AddFirst(node);
            var bucket = node.Value;
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (_time.GetElapsedTime(bucket.Last, now).TotalSeconds * _perSecond));
            bucket.Last = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket(string key, double tokens, long last)
    {
        public string Key { get; } = key;

        public double Tokens { get; set; } = tokens;

        public long Last { get; set; } = last;
    }
}
