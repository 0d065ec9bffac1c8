using System.Collections.Concurrent;
using ApiKeyOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class ControllerTests
{
    private static readonly ObjectKey A = new("ns", "a");
    private readonly TimerCountingTimeProvider _time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Workers_never_reconcile_one_key_concurrently()
    {
        var reconciler = new ScriptedReconciler();
        using var queue = new WorkQueue("c", _time);
        var controller = NewController(reconciler, queue, workers: 4);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = controller.RunWorkersAsync(stop.Token, CancellationToken.None);
        var keys = Enumerable.Range(0, 5).Select(i => new ObjectKey("ns", $"k{i}")).ToList();

        for (var round = 0; round < 40; round++)
        {
            foreach (var key in keys)
            {
                queue.Add(key);
            }
        }

        await Poll.UntilAsync(() => keys.All(k => reconciler.Calls(k) >= 1) && queue.Count == 0 && reconciler.InFlight == 0, what: "every key reconciled");
        await stop.CancelAsync();
        await running.WaitAsync(Poll.Deadline, Ct);

        Assert.Equal(1, reconciler.MaxConcurrentPerKey);
    }

    [Fact]
    public async Task Different_keys_are_reconciled_in_parallel()
    {
        var reconciler = new ScriptedReconciler { BlockUntilCancelled = true };
        using var queue = new WorkQueue("c", _time);
        var controller = NewController(reconciler, queue, workers: 2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var abort = new CancellationTokenSource();
        var running = controller.RunWorkersAsync(stop.Token, abort.Token);

        queue.Add(A);
        queue.Add(new ObjectKey("ns", "b"));

        await Poll.UntilAsync(() => reconciler.InFlight == 2, what: "both keys in flight");
        await stop.CancelAsync();
        await abort.CancelAsync();
        await running.WaitAsync(Poll.Deadline, Ct);
    }

    [Fact]
    public async Task A_failing_reconcile_is_retried_with_backoff_and_success_forgets()
    {
        var reconciler = new ScriptedReconciler { FailuresBeforeSuccess = 2 };
        using var queue = new WorkQueue("c", _time);
        var controller = NewController(reconciler, queue, workers: 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = controller.RunWorkersAsync(stop.Token, CancellationToken.None);

        queue.Add(A);
        // Advancing before the retry's timer exists would push the timer along: wait for it.
        await Poll.UntilAsync(() => reconciler.Calls(A) == 1 && _time.TimersCreated == 1, what: "first failure scheduled");
        Assert.Equal(1, queue.NumRequeues(A));
        _time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(1, reconciler.Calls(A));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Poll.UntilAsync(() => reconciler.Calls(A) == 2 && _time.TimersCreated == 2, what: "second failure scheduled");
        Assert.Equal(2, queue.NumRequeues(A));
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await Poll.UntilAsync(() => reconciler.Calls(A) == 3 && queue.NumRequeues(A) == 0, what: "success forgets");

        await stop.CancelAsync();
        await running.WaitAsync(Poll.Deadline, Ct);
    }

    [Fact]
    public async Task RequeueAfter_schedules_the_key_on_the_time_provider()
    {
        var reconciler = new ScriptedReconciler { RequeueAfter = TimeSpan.FromMinutes(3) };
        using var queue = new WorkQueue("c", _time);
        var controller = NewController(reconciler, queue, workers: 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = controller.RunWorkersAsync(stop.Token, CancellationToken.None);

        queue.Add(A);
        await Poll.UntilAsync(() => reconciler.Calls(A) == 1 && _time.TimersCreated == 1, what: "requeue scheduled");
        _time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, reconciler.Calls(A));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Poll.UntilAsync(() => reconciler.Calls(A) == 2, what: "requeued at the fake time");

        await stop.CancelAsync();
        await running.WaitAsync(Poll.Deadline, Ct);
    }

    [Fact]
    public async Task Abort_cancels_the_reconcile_in_flight_and_keeps_the_key_for_the_next_term()
    {
        var reconciler = new ScriptedReconciler { BlockUntilCancelled = true };
        using var queue = new WorkQueue("c", _time);
        var controller = NewController(reconciler, queue, workers: 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var abort = new CancellationTokenSource();
        var running = controller.RunWorkersAsync(stop.Token, abort.Token);

        queue.Add(A);
        await Poll.UntilAsync(() => reconciler.InFlight == 1, what: "reconcile in flight");
        await stop.CancelAsync();
        Assert.False(running.IsCompleted);
        await abort.CancelAsync();
        await running.WaitAsync(Poll.Deadline, Ct);

        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.NumRequeues(A));
    }

    private Controller<V1ConfigMap> NewController(ScriptedReconciler reconciler, WorkQueue queue, int workers) =>
        new("c", reconciler, queue, workers, _time, new ControllerMetrics(Metrics.NewCustomRegistry()), NullLogger.Instance);

    private sealed class ScriptedReconciler : IReconciler<V1ConfigMap>
    {
        private readonly ConcurrentDictionary<ObjectKey, int> _calls = new();
        private readonly ConcurrentDictionary<ObjectKey, int> _active = new();
        private int _inFlight;
            private int _maxConcurrentPerKey;

        public int FailuresBeforeSuccess { get; init; }

        public TimeSpan? RequeueAfter { get; init; }

        public bool BlockUntilCancelled { get; init; }

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxConcurrentPerKey => Volatile.Read(ref _maxConcurrentPerKey);

        public int Calls(ObjectKey key) => _calls.GetValueOrDefault(key);

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _inFlight);
            var perKey = _active.AddOrUpdate(key, 1, (_, n) => n + 1);
            Raise(ref _maxConcurrentPerKey, perKey);
            try
            {
                if (BlockUntilCancelled)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }

                // Yield so that other workers get a chance to overlap with this one.
                await Task.Yield();
                var calls = _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
                if (calls <= FailuresBeforeSuccess)
                {
                    throw new InvalidOperationException("scripted failure");
                }

                return RequeueAfter is { } delay ? ReconcileResult.After(delay) : ReconcileResult.Done;
            }
            finally
            {
                _active.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static void Raise(ref int max, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref max)) < value && Interlocked.CompareExchange(ref max, value, seen) != seen)
            {
            }
        }
    }
}
