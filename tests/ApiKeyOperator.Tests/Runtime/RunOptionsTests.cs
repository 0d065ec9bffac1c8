using System.Net;
using System.CommandLine;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class RunOptionsTests
{
    [Fact]
    public void Defaults_are_kubebuilders()
    {
        var options = OperatorCommands.ParseRunOptions([]);

        Assert.Equal(new OperatorOptions(), options with { CommandLine = null });
        Assert.Equal(":8080", options.MetricsBindAddress);
        Assert.Equal(":8081", options.HealthProbeBindAddress);
        Assert.Equal("apikeyoperator.io", options.LeaderElectionId);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryPeriod);
        Assert.Equal(4, options.MaxConcurrentReconciles);
        Assert.Equal(TimeSpan.FromHours(10), options.SyncPeriod);
        Assert.False(options.LeaderElect);
        Assert.Null(options.Namespace);
    }

    [Fact]
    public void Every_flag_is_bound_with_or_without_the_run_verb()
    {
        string[] flags =
        [
            "--kubeconfig", "/tmp/kc", "--namespace", "payments", "--leader-elect", "--leader-election-namespace", "ops",
            "--leader-election-id", "lock", "--leader-elect-lease-duration", "3s", "--leader-elect-renew-deadline", "2s",
            "--leader-elect-retry-period", "250ms", "--metrics-bind-address", "0", "--health-probe-bind-address", "127.0.0.1:0",
            "--max-concurrent-reconciles", "8", "--sync-period", "30s", "--log-level", "debug", "--log-format", "text", "--graceful-shutdown-timeout", "1m30s",
            "--kube-api-qps", "12.5", "--kube-api-burst", "30",
        ];

        var expected = new OperatorOptions
        {
            Kubeconfig = "/tmp/kc",
            Namespace = "payments",
            LeaderElect = true,
            LeaderElectionNamespace = "ops",
            LeaderElectionId = "lock",
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
            MetricsBindAddress = null,
            HealthProbeBindAddress = "127.0.0.1:0",
            MaxConcurrentReconciles = 8,
            SyncPeriod = TimeSpan.FromSeconds(30),
            LogLevel = LogLevel.Debug,
            LogFormat = "text",
            GracefulShutdownTimeout = TimeSpan.FromSeconds(90),
            KubeApiQps = 12.5,
            KubeApiBurst = 30,
        };
        Assert.Equal(expected, OperatorCommands.ParseRunOptions(flags) with { CommandLine = null });
        Assert.Equal(expected, OperatorCommands.ParseRunOptions(["run", .. flags]) with { CommandLine = null });
    }

    [Theory]
    [InlineData("--max-concurrent-reconciles", "0")]
    [InlineData("--leader-elect-lease-duration", "soon")]
    [InlineData("--metrics-bind-address", "nowhere")]
    [InlineData("--log-level", "loud")]
    [InlineData("--no-such-flag", "x")]
    [InlineData("--kube-api-qps", "-1")]
    [InlineData("--kube-api-qps", "fast")]
    [InlineData("--kube-api-qps", "NaN")]
    [InlineData("--kube-api-burst", "0")]
    [InlineData("--kube-api-burst", "-5")]
    public void Invalid_flags_are_rejected(string flag, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorCommands.ParseRunOptions([flag, value]));

        Assert.Contains(flag.TrimStart('-').Split('-')[0], error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Modules_add_their_own_flags_to_run_only()
    {
        var module = new FlagModule();

        Assert.Equal("/data/ledger.db", OperatorCommands.ParseRunOptions(["--ledger-path", "/data/ledger.db"], [module]).GetValue(module.LedgerPath));
        Assert.Equal("ledger.db", OperatorCommands.ParseRunOptions(["run"], [module]).GetValue(module.LedgerPath));
        Assert.Throws<ArgumentException>(() => OperatorCommands.ParseRunOptions(["--ledger-path", "x"]));

        // The bare command only prints help: the operator's flags belong to `run`.
        var root = OperatorCommands.Build([module]);
        Assert.DoesNotContain(module.LedgerPath, root.Options);
        Assert.Contains(module.LedgerPath, root.Subcommands.Single(c => c.Name == "run").Options);
        Assert.Empty(root.Parse(["run", "--ledger-path", "/x"]).Errors);
        Assert.NotEmpty(root.Parse(["--ledger-path", "/x"]).Errors);
    }

    [Fact]
    public void Bind_addresses_follow_kubebuilder()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8080), BindAddress.Parse(":8080"));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), BindAddress.Parse("127.0.0.1:0"));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9000), BindAddress.Parse("localhost:9000"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 1), BindAddress.Parse("[::1]:1"));
        Assert.Null(BindAddress.Parse("0"));
        Assert.Throws<FormatException>(() => BindAddress.Parse("8080"));
    }
}
