using ApiKeyOperator.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// controller-runtime's manager: builds the registered controllers, runs the informers on every replica and the
/// controllers' workers only while this replica leads (always, without leader election). Workers start once every
/// informer has synced.
/// </summary>
public sealed class ControllerManager
{
    private readonly IServiceProvider _services;
    private readonly InformerRegistry _informers;
    private readonly OperatorOptions _options;
    private readonly ApiTransport _transport;
    private readonly LeaderElection? _election;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _lock = new();
    private WorkerTerm? _term;
    private Task _previousTerm = Task.CompletedTask;
    private bool _stopped;

    public ControllerManager(
        IServiceProvider services, InformerRegistry informers, OperatorOptions options, ApiTransport transport, ILogger<ControllerManager> logger)
    {
        _services = services;
        _informers = informers;
        _options = options;
        _transport = transport;
        _logger = logger;
        _election = options.LeaderElect ? services.GetRequiredService<LeaderElection>() : null;
    }

    public IReadOnlyList<IController> Controllers { get; private set; } = [];

    /// <summary>True while this replica's workers run (leading, or leader election off).</summary>
    public bool WorkersRunning
    {
        get
        {
            lock (_lock)
            {
                return _term is not null;
            }
        }
    }

    public void Start()
    {
        var registrations = _services.GetServices<IControllerRegistration>().ToList();
        foreach (var registration in registrations)
        {
            registration.DeclareInformers(_informers);
        }

        Controllers = [.. registrations.Select(r => r.Build(_services, _options.MaxConcurrentReconciles))];
        _informers.Start(_lifetime.Token);
        if (_election is null)
        {
            StartWorkers();
            return;
        }

        _election.StartedLeading += StartWorkers;
        _election.StoppedLeading += () => _ = StopWorkersAsync(TimeSpan.Zero);
        _election.Start();
    }

    /// <summary>
    /// Graceful stop: workers take no more keys, reconciles in flight get <see cref="OperatorOptions.GracefulShutdownTimeout"/>
    /// to finish (then they are cancelled), the Events they recorded are written (within the recorder's flush deadline),
    /// the Lease is released, informers stop.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _stopped = true;
        }

        await StopWorkersAsync(_options.GracefulShutdownTimeout).ConfigureAwait(false);
        foreach (var controller in Controllers)
        {
            controller.Queue.ShutDown();
        }

        if (_services.GetService<EventRecorder>() is { } events)
        {
            await events.FlushAsync(_services.GetRequiredService<EventRecorderOptions>().FlushTimeout).ConfigureAwait(false);
        }

        if (_election is not null)
        {
            await _election.StopAsync(release: true, cancellationToken).ConfigureAwait(false);
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _informers.StopAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Crash simulation: every reconcile in flight is cancelled, no request leaves the process any more, the Lease is
    /// neither renewed nor released. Nothing is awaited.
    /// </summary>
    public void Kill()
    {
        WorkerTerm? term;
        lock (_lock)
        {
            _stopped = true;
            term = _term;
            _term = null;
        }

        // Nothing may be handed out once the reconciles in flight are cancelled: queues first, then the abort.
        _transport.Disable();
        term?.StopTaking.Cancel();
        foreach (var controller in Controllers)
        {
            controller.Queue.ShutDown();
        }

        term?.Abort.Cancel();
        _election?.Kill();
        _lifetime.Cancel();
    }

    private void StartWorkers()
    {
        lock (_lock)
        {
            if (_term is not null || _stopped)
            {
                return;
            }

            var term = new WorkerTerm();
            var previous = _previousTerm;
            term.Running = Task.Run(() => RunTermAsync(previous, term));
            _term = term;
            _previousTerm = term.Running;
        }
    }

    private async Task RunTermAsync(Task previous, WorkerTerm term)
    {
        try
        {
            // A new term never overlaps the end of the last one: one key, one worker, across terms too.
            await previous.ConfigureAwait(false);
            await Task.WhenAll(_informers.All.Select(i => i.WaitForSyncAsync(term.StopTaking.Token))).ConfigureAwait(false);
            _logger.LogInformation("Caches synced, starting {Count} controllers", Controllers.Count);
            await Task.WhenAll(Controllers.Select(c => c.RunWorkersAsync(term.StopTaking.Token, term.Abort.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.StopTaking.IsCancellationRequested)
        {
            // Stopped before the caches synced.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Controller workers failed");
        }
    }

    private async Task StopWorkersAsync(TimeSpan grace)
    {
        WorkerTerm? term;
        lock (_lock)
        {
            term = _term;
            _term = null;
        }

        if (term is null)
        {
            return;
        }

        await term.StopTaking.CancelAsync().ConfigureAwait(false);
        if (grace <= TimeSpan.Zero)
        {
            await term.Abort.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await term.Running.WaitAsync(grace > TimeSpan.Zero ? grace : Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Reconciles still running after {Grace}, cancelling them", grace);
            await term.Abort.CancelAsync().ConfigureAwait(false);
            await term.Running.ConfigureAwait(false);
        }

        _logger.LogInformation("Controller workers stopped");
    }

    private sealed class WorkerTerm
    {
        public CancellationTokenSource StopTaking { get; } = new();

        public CancellationTokenSource Abort { get; } = new();

        public Task Running { get; set; } = Task.CompletedTask;
    }
}
