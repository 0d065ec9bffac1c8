using System.Collections.Concurrent;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>A ConfigMap reconciler for host tests: records every key, can hold reconciles until released.</summary>
internal sealed class RecordingReconciler : IReconciler<V1ConfigMap>
{
    private readonly ConcurrentQueue<ObjectKey> _seen = new();
    private TaskCompletionSource _gate = NewGate(open: true);
    private int _inFlight;
    private int _cancelled;

    public IReadOnlyList<ObjectKey> Seen => [.. _seen];

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Cancelled => Volatile.Read(ref _cancelled);

    public bool Saw(string name) => _seen.Any(k => k.Name == name);

    /// <summary>Reconciles started from now on wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = NewGate(open: false);

    public void Release() => _gate.TrySetResult();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
            _seen.Enqueue(key);
            return ReconcileResult.Done;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }
}
