using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class ApiThrottleKubeSimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_past_the_burst_wait_for_their_token_before_they_leave_the_process()
    {
        await using var env = await SimEnvironment.StartAsync();
        var time = new FakeTimeProvider();
        var transport = env.NewTransport(new TokenBucket(qps: 10, burst: 2, time));
        env.Sim.Requests.Reset();

        await transport.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps", null, null, Ct);
        await transport.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps", null, null, Ct);
        var third = transport.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps", null, null, Ct);
        var fourth = transport.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps", null, null, Ct);

        // Their tokens are due 100 ms and 200 ms from now on the clock, which has not moved: neither can have been sent.
        Assert.False(third.IsCompleted);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(2, env.Sim.Requests.Count("list", "configmaps"));

        time.Advance(TimeSpan.FromMilliseconds(100));
        await third.WaitAsync(Poll.Deadline, Ct);
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await fourth.WaitAsync(Poll.Deadline, Ct);
        Assert.Equal(4, env.Sim.Requests.Count("list", "configmaps"));
    }

    [Fact]
    public async Task A_request_waiting_for_a_token_is_cancelled_by_the_crash_switch()
    {
        await using var env = await SimEnvironment.StartAsync();
        var time = new FakeTimeProvider();
        var transport = env.NewTransport(new TokenBucket(qps: 1, burst: 1, time));
        await transport.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps", null, null, Ct);
        var waiting = transport.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps", null, null, Ct);

        transport.Disable();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Poll.Deadline, Ct));
    }
}
