using ApiKeyOperator.Runtime;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease through the client's <see cref="LeaderElector"/>. A graceful
/// stop releases the Lease (holder cleared) so a follower takes over at its next retry instead of waiting out the
/// lease duration; a kill just stops renewing.
/// </summary>
public sealed class LeaderElection
{
    private const string InClusterNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
    private readonly Kubernetes _client;
    private readonly OperatorOptions _options;
    private readonly ResourceClient<V1Lease> _leases;
    private readonly OperatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private volatile bool _running;
    private int _leading;

    public LeaderElection(
        Kubernetes client, OperatorOptions options, OperatorIdentity identity, ApiTransport transport, OperatorMetrics metrics, TimeProvider time,
        ILogger<LeaderElection> logger)
    {
        _client = client;
        _options = options;
        Identity = identity.Name;
        _leases = new ResourceClient<V1Lease>(transport);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Namespace = options.LeaderElectionNamespace
            ?? options.WatchNamespaces.FirstOrDefault()
            ?? (File.Exists(InClusterNamespaceFile) ? File.ReadAllText(InClusterNamespaceFile).Trim() : "default");
    }

    public event Action? StartedLeading;

    public event Action? StoppedLeading;

    public string Namespace { get; }

    public string Identity { get; }

    public bool IsRunning => _running;

    public bool IsLeader => Volatile.Read(ref _leading) == 1;

    public void Start()
    {
        var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(_client, Namespace, _options.LeaderElectionId, Identity))
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        });
        elector.OnStartedLeading += OnStartedLeading;
        elector.OnStoppedLeading += OnStoppedLeading;
        elector.OnNewLeader += leader => _logger.LogInformation("Lease {Namespace}/{Lease} is held by {Leader}", Namespace, _options.LeaderElectionId, leader);
        elector.OnError += e => _logger.LogDebug(e, "Leader election attempt failed");
        _running = true;
        _metrics.LeaderStatus.WithLabels(_options.LeaderElectionId).Set(0);
        _loop = Task.Run(async () =>
        {
            try
            {
                await elector.RunAndTryToHoldLeadershipForeverAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopped by the host.
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Leader election loop ended");
            }
            finally
            {
                _running = false;
                OnStoppedLeading();
                elector.Dispose();
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

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await _leases.GetAsync(new ObjectKey(Namespace, _options.LeaderElectionId), cancellationToken).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            // Empty, not null: the client's LeaderElector treats a null holder as "no Lease" and tries to create one.
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = _time.GetUtcNow().UtcDateTime;
            await _leases.ReplaceAsync(lease, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Released lease {Namespace}/{Lease}", Namespace, _options.LeaderElectionId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease then expires on its own after its duration.
            _logger.LogWarning(e, "Could not release lease {Namespace}/{Lease}", Namespace, _options.LeaderElectionId);
        }
    }

    private void OnStartedLeading()
    {
        Volatile.Write(ref _leading, 1);
        _metrics.LeaderStatus.WithLabels(_options.LeaderElectionId).Set(1);
        _logger.LogInformation("Became leader of lease {Namespace}/{Lease} as {Identity}", Namespace, _options.LeaderElectionId, Identity);
        StartedLeading?.Invoke();
    }

    private void OnStoppedLeading()
    {
        if (Interlocked.Exchange(ref _leading, 0) == 0)
        {
            return;
        }

        _metrics.LeaderStatus.WithLabels(_options.LeaderElectionId).Set(0);
        _logger.LogInformation("Stopped leading lease {Namespace}/{Lease}", Namespace, _options.LeaderElectionId);
        StoppedLeading?.Invoke();
    }
}
