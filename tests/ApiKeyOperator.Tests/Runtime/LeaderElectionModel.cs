using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>
/// A discrete-event model of replicas running <see cref="LeaderElectionRules"/> the way <see cref="LeaderElection"/>
/// drives them (read, maybe write, cut off at the renew deadline, pause, repeat) against one Lease with optimistic
/// concurrency. Every request takes the time its <see cref="LeaderElectionFate"/> says and may fail; a write the
/// client gave up on may still land on the server. Replicas may crash and come back under a new identity.
/// After every event it records whether two replicas believed they led at once.
/// </summary>
internal sealed class LeaderElectionModel
{
    private static readonly LeaderElectionFate Healthy = new(20, false, 20, false, 0.5, false);
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Seq)> _events = new();
    private readonly List<Replica> _replicas = [];
    private readonly Queue<LeaderElectionFate> _fates;
    private long _seq;
    private int _names;
    private LeaderElectionLease? _lease;
    private int _resourceVersion;

    public LeaderElectionModel(int replicas, IEnumerable<LeaderElectionFate> fates, TimeSpan? renewDeadline = null)
    {
        _fates = new Queue<LeaderElectionFate>(fates);
        RenewDeadline = renewDeadline ?? TimeSpan.FromSeconds(10);
        for (var i = 0; i < replicas; i++)
        {
            Join(Now);
        }
    }

    public static TimeSpan LeaseDuration => TimeSpan.FromSeconds(15);

    public static TimeSpan RetryPeriod => TimeSpan.FromSeconds(2);

    /// <summary>10 s (the operator's default) unless a test breaks the rules on purpose.</summary>
    public TimeSpan RenewDeadline { get; }

    public DateTimeOffset Now { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Instants at which more than one replica believed it held the Lease, with who.</summary>
    public List<string> Overlaps { get; } = [];

    /// <summary>True once every scripted fate has been used; from then on every request succeeds quickly.</summary>
    public bool Healed => _fates.Count == 0;

    /// <summary>Live replicas that believe, at <see cref="Now"/>, that they hold the Lease.</summary>
    public IReadOnlyList<string> Leaders => [.. _replicas.Where(r => !r.Crashed && Believes(r)).Select(r => r.Identity)];

    public void RunUntil(DateTimeOffset end)
    {
        while (_events.TryPeek(out _, out var next) && next.At <= end)
        {
            var action = _events.Dequeue();
            Now = next.At;
            action();
            if (Leaders.Count > 1)
            {
                Overlaps.Add($"{Now:HH:mm:ss.fff}: {string.Join(", ", Leaders)}");
            }
        }

        Now = end;
    }

    private bool Believes(Replica replica) =>
        replica.View.Leading && Now < LeaderElectionRules.Deadline(replica.View, RenewDeadline);

    private void Join(DateTimeOffset at)
    {
        var replica = new Replica($"replica-{_names++}");
        _replicas.Add(replica);
        At(at, () => Attempt(replica));
    }

    private void At(DateTimeOffset at, Action action) => _events.Enqueue(action, (at, _seq++));

    private LeaderElectionFate NextFate() => _fates.TryDequeue(out var fate) ? fate : Healthy;

    private void Attempt(Replica replica)
    {
        if (replica.Crashed)
        {
            return;
        }

        var fate = NextFate();
        if (fate.Crash)
        {
            // The process dies (its leadership with it) and the Deployment starts a new pod with a new identity.
            replica.Crashed = true;
            Join(Now + TimeSpan.FromSeconds(1));
            return;
        }

        var start = Now;
        replica.View = LeaderElectionRules.Expire(replica.View, start, RenewDeadline);
        var timeoutAt = replica.View.Leading ? LeaderElectionRules.Deadline(replica.View, RenewDeadline) : start + RenewDeadline;
        var attempt = new AttemptState();
        At(timeoutAt, () => Fail(replica, attempt));

        var readAt = start + TimeSpan.FromMilliseconds(fate.ReadMs / 2.0);
        var readReply = start + TimeSpan.FromMilliseconds(fate.ReadMs);
        if (fate.ReadFails)
        {
            At(readReply, () => Fail(replica, attempt));
            return;
        }

        LeaderElectionLease? snapshot = null;
        At(readAt, () => snapshot = _lease);
        At(readReply, () =>
        {
            if (attempt.Done || replica.Crashed)
            {
                return;
            }

            var step = LeaderElectionRules.Read(replica.View, snapshot, replica.Identity, Now, LeaseDuration);
            replica.View = step.Next;
            if (step.Action == LeaseAction.Wait)
            {
                End(replica, attempt, fate);
                return;
            }

            var desired = LeaderElectionRules.Desired(snapshot, replica.Identity, Now, LeaseDuration);
            LeaderElectionLease? written = null;
            var applyAt = Now + TimeSpan.FromMilliseconds(fate.WriteMs / 2.0);
            var writeReply = Now + TimeSpan.FromMilliseconds(fate.WriteMs);
            if (!fate.WriteFails)
            {
                // The server applies the write even if the client has given up on it by then.
                At(applyAt, () => written = TryWrite(desired, step.Action));
            }

            At(writeReply, () =>
            {
                if (attempt.Done || replica.Crashed)
                {
                    return;
                }

                if (fate.WriteFails)
                {
                    Fail(replica, attempt);
                    return;
                }

                if (written is not null)
                {
                    replica.View = LeaderElectionRules.Written(replica.View, written, start, Now, RenewDeadline);
                }

                End(replica, attempt, fate);
            });
        });
    }

    private LeaderElectionLease? TryWrite(LeaderElectionLease desired, LeaseAction action)
    {
        var fits = action == LeaseAction.Create ? _lease is null : _lease is not null && _lease.ResourceVersion == desired.ResourceVersion;
        if (!fits)
        {
            return null;
        }

        _lease = desired with { ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return _lease;
    }

    private void Fail(Replica replica, AttemptState attempt)
    {
        if (attempt.Done || replica.Crashed)
        {
            return;
        }

        replica.View = LeaderElectionRules.Expire(replica.View, Now, RenewDeadline);
        End(replica, attempt, Healthy);
    }

    private void End(Replica replica, AttemptState attempt, LeaderElectionFate fate)
    {
        attempt.Done = true;
        var pause = replica.View.Leading ? RetryPeriod : RetryPeriod * (1 + (fate.Jitter * 1.2));
        At(Now + pause, () => Attempt(replica));
    }

    private sealed class Replica(string identity)
    {
        public string Identity { get; } = identity;

        public LeaderElectionView View { get; set; } = new();

        public bool Crashed { get; set; }
    }

    private sealed class AttemptState
    {
        public bool Done { get; set; }
    }
}
