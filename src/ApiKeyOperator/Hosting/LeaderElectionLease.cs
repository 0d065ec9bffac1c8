using k8s.Models;

namespace ApiKeyOperator.Hosting;

/// <summary>The fields of a coordination.k8s.io/v1 Lease that leader election reads and writes.</summary>
public sealed record LeaderElectionLease(
    string? Holder, DateTime? AcquireTime, DateTime? RenewTime, int? LeaseDurationSeconds, int Transitions, string? ResourceVersion)
{
    public static LeaderElectionLease Of(V1Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new(
            lease.Spec?.HolderIdentity, lease.Spec?.AcquireTime, lease.Spec?.RenewTime, lease.Spec?.LeaseDurationSeconds, lease.Spec?.LeaseTransitions ?? 0,
            lease.Metadata?.ResourceVersion);
    }

    /// <summary>Writes these fields into <paramref name="lease"/>'s spec (and its resourceVersion, for an optimistic update).</summary>
    public V1Lease ApplyTo(V1Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lease.Spec ??= new V1LeaseSpec();
        lease.Spec.HolderIdentity = Holder;
        lease.Spec.AcquireTime = AcquireTime;
        lease.Spec.RenewTime = RenewTime;
        lease.Spec.LeaseDurationSeconds = LeaseDurationSeconds;
        lease.Spec.LeaseTransitions = Transitions;
        lease.Metadata ??= new V1ObjectMeta();
        lease.Metadata.ResourceVersion = ResourceVersion;
        return lease;
    }
}
