using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace KubeSim.Controllers;

/// <summary>
/// The simulated kube-controller-manager and kubelet: Deployment, ReplicaSet, StatefulSet and DaemonSet
/// controllers plus pod scheduling and readiness, driven by store events and timers. Reconciles run one at a
/// time on a single loop, so they never race each other; each is idempotent and tolerates objects vanishing.
/// </summary>
internal sealed partial class WorkloadControllers : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly Channel<WorkItem> queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock gate = new();
    private readonly HashSet<WorkItem> queued = [];
    private readonly Dictionary<WorkItem, (ITimer Timer, DateTimeOffset Due)> timers = [];
    private readonly List<IDisposable> subscriptions = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly DeploymentController deployments;
    private readonly ReplicaSetController replicaSets;
    private readonly StatefulSetController statefulSets;
    private readonly DaemonSetController daemonSets;
    private readonly PodLifecycleController pods;
    private Task loop = Task.CompletedTask;
    private int disposed;

    private WorkloadControllers(ObjectStore store, KubeSimOptions options, TimeProvider time, ILogger logger)
    {
        this.time = time;
        this.logger = logger;
        var context = new ControllerContext(store, options, time, Enqueue, EnqueueAfter);
        deployments = new DeploymentController(context);
        replicaSets = new ReplicaSetController(context);
        statefulSets = new StatefulSetController(context);
        daemonSets = new DaemonSetController(context);
        pods = new PodLifecycleController(context);
    }

    /// <summary>Starts the controllers over a store; they run until disposed.</summary>
    public static WorkloadControllers Start(ObjectStore store, KubeSimOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var controllers = new WorkloadControllers(store, options, time, logger);
        controllers.loop = Task.Run(controllers.RunAsync);
        controllers.subscriptions.Add(store.Subscribe(WorkloadResources.Deployments, e => controllers.OnEvent(WorkloadKind.Deployment, e)));
        controllers.subscriptions.Add(store.Subscribe(WorkloadResources.ReplicaSets, e => controllers.OnEvent(WorkloadKind.ReplicaSet, e)));
        controllers.subscriptions.Add(store.Subscribe(WorkloadResources.StatefulSets, e => controllers.OnEvent(WorkloadKind.StatefulSet, e)));
        controllers.subscriptions.Add(store.Subscribe(WorkloadResources.DaemonSets, e => controllers.OnEvent(WorkloadKind.DaemonSet, e)));
        controllers.subscriptions.Add(store.Subscribe(WorkloadResources.Pods, e => controllers.OnEvent(WorkloadKind.Pod, e)));
        return controllers;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        lock (gate)
        {
            foreach (var (timer, _) in timers.Values)
            {
                timer.Dispose();
            }

            timers.Clear();
        }

        queue.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stopping.Dispose();
    }

    // An object's change wakes its own controller and, through the controller ownerReference, its owner's.
    private void OnEvent(WorkloadKind kind, WatchEvent e)
    {
        var metadata = e.Object["metadata"];
        var ns = WorkloadObjects.Text(metadata?["namespace"]) ?? string.Empty;
        Enqueue(new WorkItem(kind, ns, WorkloadObjects.Text(metadata?["name"]) ?? string.Empty));
        if (WorkloadObjects.ControllerOf(e.Object) is { } owner && WorkloadResources.KindOf(owner.Kind) is { } ownerKind)
        {
            Enqueue(new WorkItem(ownerKind, ns, owner.Name));
        }
    }

    private void Enqueue(WorkItem item)
    {
        lock (gate)
        {
            if (!queued.Add(item))
            {
                return;
            }
        }

        queue.Writer.TryWrite(item);
    }

    // Keeps the earliest pending wake-up per item; a reconcile that runs earlier simply schedules again.
    private void EnqueueAfter(WorkItem item, TimeSpan delay)
    {
        var due = time.GetUtcNow() + delay;
        lock (gate)
        {
            if (stopping.IsCancellationRequested || (timers.TryGetValue(item, out var existing) && existing.Due <= due))
            {
                return;
            }

            existing.Timer?.Dispose();
            var timer = time.CreateTimer(_ => Fire(item), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
            timers[item] = (timer, due);
        }
    }

    private void Fire(WorkItem item)
    {
        lock (gate)
        {
            if (timers.Remove(item, out var entry))
            {
                entry.Timer.Dispose();
            }
        }

        Enqueue(item);
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
            {
                lock (gate)
                {
                    queued.Remove(item);
                }

                Process(item);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private void Process(WorkItem item)
    {
        try
        {
            switch (item.Kind)
            {
                case WorkloadKind.Deployment:
                    deployments.Reconcile(item.Namespace, item.Name);
                    break;
                case WorkloadKind.ReplicaSet:
                    replicaSets.Reconcile(item.Namespace, item.Name);
                    break;
                case WorkloadKind.StatefulSet:
                    statefulSets.Reconcile(item.Namespace, item.Name);
                    break;
                case WorkloadKind.DaemonSet:
                    daemonSets.Reconcile(item.Namespace, item.Name);
                    break;
                case WorkloadKind.Pod:
                    pods.Reconcile(item.Namespace, item.Name);
                    break;
            }
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // The object (or its namespace) went away under us; its own events say what comes next.
            LogGone(item.Kind, item.Namespace, item.Name);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // Someone else wrote first: read again shortly, as a real controller requeues.
            EnqueueAfter(item, RetryDelay);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The loop must outlive any one bad object; log and retry later like a real controller.
            LogFailed(e, item.Kind, item.Namespace, item.Name);
            EnqueueAfter(item, RetryDelay * 10);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Namespace}/{Name} vanished while being reconciled")]
    private partial void LogGone(WorkloadKind kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling {Kind} {Namespace}/{Name} failed; retrying")]
    private partial void LogFailed(Exception error, WorkloadKind kind, string @namespace, string name);
}
