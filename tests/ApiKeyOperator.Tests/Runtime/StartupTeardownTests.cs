using System.Net;
using System.Net.Sockets;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>
/// A host that fails to start is torn down before the failure is reported. A service that breaks while being torn
/// down (it never started) must not replace the reason the start failed: the user still gets the one line naming
/// the flag, not the teardown's NullReferenceException.
/// </summary>
public sealed class StartupTeardownTests
{
    [Fact]
    public async Task A_port_in_use_is_reported_even_when_a_service_fails_while_the_half_started_host_is_torn_down()
    {
        await using var env = await SimEnvironment.StartAsync();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var failure = await Assert.ThrowsAsync<StartupException>(() => env.StartHostAsync(
            s => s.AddHostedService<BreaksOnDispose>(),
            "--metrics-bind-address",
            busy));

        Assert.Equal($"{busy} is already in use (--metrics-bind-address)", failure.Message);
    }

    // Stands in for any service whose clean-up assumes StartAsync ran to the end.
    private sealed class BreaksOnDispose : IHostedService, IAsyncDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => throw new NullReferenceException("torn down before it was set up");
    }
}
