using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Xunit;

namespace KubeSim.Tests.Api;

/// <summary>The client's LeaderElector (what the operator uses) works against KubeSim's Leases.</summary>
public sealed class LeaderElectionTests : SimTestBase
{
    private LeaderElector Elector(string ns, string identity) => new(new LeaderElectionConfig(new LeaseLock(Client, ns, "operator-lock", identity))
    {
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    });

    private static async Task StoppedAsync(Task running)
    {
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // The elector ends a cancelled run either by returning or by rethrowing the cancellation.
        }
    }

    [Fact]
    public async Task One_elector_leads_and_the_other_takes_over_once_it_stops()
    {
        var ns = await NewNamespaceAsync();
        using var first = Elector(ns, "a");
        using var second = Elector(ns, "b");
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        second.OnStartedLeading += () => secondLeads.TrySetResult();
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stopSecond = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var runningFirst = first.RunUntilLeadershipLostAsync(stopFirst.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var runningSecond = second.RunUntilLeadershipLostAsync(stopSecond.Token);
        var lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-lock", ns, cancellationToken: Ct);
        Assert.Equal("a", lease.Spec.HolderIdentity);
        Assert.False(secondLeads.Task.IsCompleted);

        await stopFirst.CancelAsync();
        await StoppedAsync(runningFirst);
        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-lock", ns, cancellationToken: Ct);
        Assert.Equal("b", lease.Spec.HolderIdentity);
        await stopSecond.CancelAsync();
        await StoppedAsync(runningSecond);
    }
}
