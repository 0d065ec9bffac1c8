using ApiKeyOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, following <see cref="LeaderElectionRules"/>. The loop never
/// ends on an API error: refused connections, 5xx answers and timeouts are failed attempts, retried every retry
/// period; a leader that cannot renew within the renew deadline stops leading (every leader-only component stops)
/// and runs for election again, so after an API server restart the Lease is re-acquired or moves as soon as the
/// API answers. A graceful stop releases the Lease so a follower takes over at its next retry; a kill just stops.
/// </summary>
public sealed class LeaderElection
{
    private const string InClusterNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    // client-go's JitterFactor: a follower waits retryPeriod × (1 + up to 1.2) between attempts.
    private const double JitterFactor = 1.2;
    private readonly OperatorOptions _options;
    private readonly ResourceClient<V1Lease> _leases;
    private readonly OperatorMetrics _metrics;
    private readonly LeaderElectionStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private volatile bool _running;
    private int _leading;
    private long _lastAttemptTicks;

    public LeaderElection(
        OperatorOptions options, OperatorIdentity identity, ApiTransport transport, OperatorMetrics metrics, LeaderElectionStatus status, TimeProvider time,
        ILogger<LeaderElection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        if (options.RenewDeadline >= options.LeaseDuration)
        {
            throw new ArgumentException(
                $"--leader-elect-renew-deadline ({options.RenewDeadline}) must be shorter than --leader-elect-lease-duration ({options.LeaseDuration})", nameof(options));
        }

        if (options.RetryPeriod * JitterFactor >= options.RenewDeadline)
        {
            throw new ArgumentException(
                $"--leader-elect-retry-period ({options.RetryPeriod}) × {JitterFactor} must be shorter than --leader-elect-renew-deadline ({options.RenewDeadline})",
                nameof(options));
        }

        _options = options;
        Identity = identity.Name;
        _leases = new ResourceClient<V1Lease>(transport);
        _metrics = metrics;
        _status = status;
        _time = time;
        _logger = logger;
        Namespace = options.LeaderElectionNamespace
            ?? options.WatchNamespaces.FirstOrDefault()
            ?? (File.Exists(InClusterNamespaceFile) ? File.ReadAllText(InClusterNamespaceFile).Trim() : "default");
        _lastAttemptTicks = time.GetUtcNow().UtcTicks;
    }

    public event Action? StartedLeading;

    public event Action? StoppedLeading;

    public string Namespace { get; }

    public string Identity { get; }

    /// <summary>True from <see cref="Start"/> until the loop ends (a stop, a kill, or a bug).</summary>
    public bool IsRunning => _running;

    public bool IsLeader => Volatile.Read(ref _leading) == 1;

    /// <summary>When the loop last finished an attempt, successful or not.</summary>
    public DateTimeOffset LastAttempt => new(Interlocked.Read(ref _lastAttemptTicks), TimeSpan.Zero);

    /// <summary>
    /// How long without a finished attempt means the loop is stuck: an attempt is cut off at the renew deadline and
    /// the next starts at most 2.2 retry periods later, so this is generous.
    /// </summary>
    public TimeSpan StallAfter => _options.LeaseDuration + _options.RenewDeadline + (_options.RetryPeriod * 3);

    private ObjectKey LeaseKey => new(Namespace, _options.LeaderElectionId);

    public void Start()
    {
        _running = true;
        _metrics.LeaderStatus.WithLabels(_options.LeaderElectionId).Set(0);
        _loop = Task.Run(async () =>
        {
            try
            {
                await RunAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopped by the host.
            }
            catch (Exception e)
            {
                // Only a bug gets here; /healthz now fails so the kubelet restarts the process.
                _logger.LogCritical(e, "Leader election loop for lease {Namespace}/{Lease} ended unexpectedly", Namespace, _options.LeaderElectionId);
            }
            finally
            {
                _running = false;
                SetLeading(false, "the leader election loop stopped");
            }
        });
    }

    /// <summary>Stops campaigning; with <paramref name="release"/>, gives the Lease up if this replica holds it.</summary>
    public async Task StopAsync(bool release, CancellationToken cancellationToken)
    {
        var wasLeading = IsLeader;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (release && wasLeading)
        {
            await ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Crash simulation: stop renewing at once, leave the Lease as it is.</summary>
    public void Kill() => _stop.Cancel();

    private async Task RunAsync(CancellationToken stop)
    {
        var view = new LeaderElectionView();
        var failures = 0;
        while (true)
        {
            var attemptStart = _time.GetUtcNow();
            view = Apply(view, LeaderElectionRules.Expire(view, attemptStart, _options.RenewDeadline), "the renew deadline passed");

            // A leader's attempt may not outlive its lease: it is cut off at the renew deadline.
            var timeout = view.Leading ? LeaderElectionRules.Deadline(view, _options.RenewDeadline) - attemptStart : _options.RenewDeadline;
            using (var deadline = new CancellationTokenSource(timeout, _time))
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token))
            {
                try
                {
                    view = await AttemptAsync(view, attemptStart, attempt.Token).ConfigureAwait(false);
                    if (failures > 0)
                    {
                        _logger.LogInformation("Lease {Namespace}/{Lease} reachable again after {Failures} failed attempts", Namespace, _options.LeaderElectionId, failures);
                        failures = 0;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Connection refused, 5xx, a timeout: one failed attempt. Logged once per outage, without a stack trace.
                    failures++;
                    var error = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:F1}s" : e.Message;
                    if (failures == 1)
                    {
                        _logger.LogWarning(
                            "Leader election could not read or write lease {Namespace}/{Lease}: {Error}; retrying every {RetryPeriod}",
                            Namespace, _options.LeaderElectionId, error, _options.RetryPeriod);
                    }
                    else
                    {
                        _logger.LogDebug("Leader election attempt {Failures} on lease {Namespace}/{Lease} failed: {Error}", failures, Namespace, _options.LeaderElectionId, error);
                    }

                    view = Apply(view, LeaderElectionRules.Expire(view, _time.GetUtcNow(), _options.RenewDeadline), "the renew deadline passed without a successful renewal");
                }
            }

            Interlocked.Exchange(ref _lastAttemptTicks, _time.GetUtcNow().UtcTicks);
            var pause = view.Leading ? _options.RetryPeriod : _options.RetryPeriod * (1 + (Random.Shared.NextDouble() * JitterFactor));
            await Task.Delay(pause, _time, stop).ConfigureAwait(false);
        }
    }

    private async Task<LeaderElectionView> AttemptAsync(LeaderElectionView view, DateTimeOffset attemptStart, CancellationToken cancellationToken)
    {
        var current = await _leases.GetAsync(LeaseKey, cancellationToken).ConfigureAwait(false);
        var observed = current is null ? null : LeaderElectionLease.Of(current);
        var now = _time.GetUtcNow();
        var step = LeaderElectionRules.Read(view, observed, Identity, now, _options.LeaseDuration);
        view = Apply(view, step.Next, observed is null ? "the lease was deleted" : $"the lease is held by {observed.Holder}");
        if (step.Action == LeaseAction.Wait)
        {
            return view;
        }

        var desired = LeaderElectionRules.Desired(observed, Identity, now, _options.LeaseDuration);
        V1Lease written;
        try
        {
            written = step.Action == LeaseAction.Create
                ? await _leases.CreateAsync(desired.ApplyTo(new V1Lease { Metadata = new V1ObjectMeta { Name = LeaseKey.Name, NamespaceProperty = Namespace } }), cancellationToken)
                    .ConfigureAwait(false)
                : await _leases.ReplaceAsync(desired.ApplyTo(current!), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e) || ApiErrors.IsAlreadyExists(e))
        {
            // Another replica wrote the Lease since the read: the next read tells who holds it.
            return view;
        }

        return Apply(view, LeaderElectionRules.Written(view, LeaderElectionLease.Of(written), attemptStart, _time.GetUtcNow(), _options.RenewDeadline), "the renewal came too late");
    }

    private LeaderElectionView Apply(LeaderElectionView previous, LeaderElectionView next, string whyLost)
    {
        if (previous.Leading != next.Leading)
        {
            SetLeading(next.Leading, whyLost);
        }

        return next;
    }

    private void SetLeading(bool leading, string whyLost)
    {
        if (Interlocked.Exchange(ref _leading, leading ? 1 : 0) == (leading ? 1 : 0))
        {
            return;
        }

        _metrics.LeaderStatus.WithLabels(_options.LeaderElectionId).Set(leading ? 1 : 0);
        if (leading)
        {
            _logger.LogInformation("Became leader of lease {Namespace}/{Lease} as {Identity}", Namespace, _options.LeaderElectionId, Identity);
        }
        else if (_stop.IsCancellationRequested)
        {
            _logger.LogInformation("Stopped leading lease {Namespace}/{Lease}", Namespace, _options.LeaderElectionId);
        }
        else
        {
            _logger.LogWarning(
                "Lost lease {Namespace}/{Lease} ({Why}): stopping leader-only work and running for election again", Namespace, _options.LeaderElectionId, whyLost);
        }

        _status.Set(leading);
        try
        {
            (leading ? StartedLeading : StoppedLeading)?.Invoke();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A leadership handler failed");
        }
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await _leases.GetAsync(LeaseKey, cancellationToken).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            // client-go's release: no holder, a one-second duration, so any follower may take it at once.
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = _time.GetUtcNow().UtcDateTime;
            await _leases.ReplaceAsync(lease, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Released lease {Namespace}/{Lease}", Namespace, _options.LeaderElectionId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease then expires on its own after its duration.
            _logger.LogWarning("Could not release lease {Namespace}/{Lease}: {Error}", Namespace, _options.LeaderElectionId, e.Message);
        }
    }
}
