using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// N workers draining a <see cref="WorkQueue"/> into an <see cref="IReconciler{T}"/>; the queue guarantees no two
/// workers ever hold the same key. Success forgets the key's backoff, <see cref="ReconcileResult.RequeueAfter"/>
/// schedules it, an exception requeues it with backoff.
/// </summary>
public sealed class Controller<T> : IController where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IReconciler<T> _reconciler;
    private readonly int _workers;
    private readonly TimeProvider _time;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;

    public Controller(string name, IReconciler<T> reconciler, WorkQueue queue, int workers, TimeProvider time, ControllerMetrics metrics, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Name = name;
        _reconciler = reconciler;
        Queue = queue;
        _workers = workers;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        metrics.Register(name, workers);
    }

    public string Name { get; }

    public WorkQueue Queue { get; }

    public Task RunWorkersAsync(CancellationToken stopTaking, CancellationToken abort) =>
        Task.WhenAll(Enumerable.Range(0, _workers).Select(_ => Task.Run(() => WorkAsync(stopTaking, abort), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken stopTaking, CancellationToken abort)
    {
        while (!stopTaking.IsCancellationRequested)
        {
            ObjectKey? next;
            try
            {
                next = await Queue.GetAsync(stopTaking).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (next is not { } key)
            {
                break;
            }

            _metrics.WorkerStarted(Name);
            try
            {
                await ReconcileAsync(key, abort).ConfigureAwait(false);
            }
            finally
            {
                _metrics.WorkerStopped(Name);
                Queue.Done(key);
            }
        }
    }

    private async Task ReconcileAsync(ObjectKey key, CancellationToken abort)
    {
        var started = _time.GetTimestamp();
        using var scope = _logger.BeginScope(ReconcileScope.Start(Name, key));
        string outcome;
        try
        {
            var result = await _reconciler.ReconcileAsync(key, abort).ConfigureAwait(false);
            Queue.Forget(key);
            if (result.RequeueAfter is { } delay)
            {
                Queue.AddAfter(key, delay);
                outcome = ReconcileOutcome.RequeueAfter;
            }
            else
            {
                outcome = ReconcileOutcome.Success;
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopped from outside (leadership lost, shutdown deadline): the key is retried in the next term.
            _logger.LogDebug("Controller {Controller}: reconcile of {Key} aborted", Name, key.ToString());
            Queue.Add(key);
            return;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Controller {Controller}: reconcile of {Key} failed", Name, key.ToString());
            Queue.AddRateLimited(key);
            outcome = ReconcileOutcome.Error;
        }

        _metrics.Reconciled(Name, outcome, _time.GetElapsedTime(started).TotalSeconds);
    }
}
