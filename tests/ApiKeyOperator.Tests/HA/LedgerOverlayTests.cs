using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Tests.Install;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace ApiKeyOperator.Tests.HA;

/// <summary>The two durable audit setups render, and the operator accepts the flags they pass.</summary>
public sealed class LedgerOverlayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sqlite_overlay_runs_one_replica_on_a_claimed_volume_that_node_drains_can_move()
    {
        var manifests = await Kustomize.RenderAsync(Path.Combine("overlays", "ledger-sqlite"), Ct);
        var deployment = YamlNodes.Find(manifests, "Deployment", "apikey-operator").Map("spec")!;
        var pod = deployment.Map("template")!.Map("spec")!;
        var claim = YamlNodes.Find(manifests, "PersistentVolumeClaim", "apikey-operator-ledger");
        var budget = YamlNodes.Find(manifests, "PodDisruptionBudget", "apikey-operator").Map("spec")!;

        Assert.Equal("1", deployment.Str("replicas"));
        // A ReadWriteOnce volume: the old pod lets go of it before the new one starts.
        Assert.Equal("Recreate", deployment.Map("strategy")!.Str("type"));
        var ledger = pod.Maps("volumes").Single(v => v.Str("name") == "ledger");
        Assert.Equal("apikey-operator-ledger", ledger.Map("persistentVolumeClaim")!.Str("claimName"));
        Assert.Null(ledger.Map("emptyDir"));
        Assert.Equal(["ReadWriteOnce"], claim.Map("spec")!.Strings("accessModes"));
        Assert.Equal("apikey-operator-system", claim.Namespace());
        Assert.Equal("1", budget.Str("maxUnavailable"));
        Assert.Null(budget.Str("minAvailable"));
        var options = ParseManager(pod);
        Assert.Equal("/var/lib/apikey-operator/ledger.db", options.GetValue(LedgerFlags.Path));
        Assert.True(options.LeaderElect);
    }

    [Fact]
    public async Task The_postgres_overlay_runs_two_replicas_with_the_url_from_a_secret_and_on_no_command_line()
    {
        var manifests = await Kustomize.RenderAsync(Path.Combine("overlays", "ledger-postgres"), Ct);
        var deployment = YamlNodes.Find(manifests, "Deployment", "apikey-operator").Map("spec")!;
        var pod = deployment.Map("template")!.Map("spec")!;
        var manager = Manager(pod);

        Assert.Equal("2", deployment.Str("replicas"));
        Assert.DoesNotContain(manager.Strings("args"), a => a.StartsWith("--ledger", StringComparison.Ordinal));
        // The patch replaces the whole list: every other flag of config/default stays.
        var basePod = YamlNodes.Find(await Kustomize.RenderAsync("default", Ct), "Deployment", "apikey-operator").Map("spec")!.Map("template")!.Map("spec")!;
        Assert.Equal(Manager(basePod).Strings("args").Where(a => !a.StartsWith("--ledger", StringComparison.Ordinal)), manager.Strings("args"));
        var env = manager.Maps("env").Single(e => e.Str("name") == LedgerLocation.EnvironmentVariable);
        var secret = env.Map("valueFrom")!.Map("secretKeyRef")!;
        Assert.Equal(("apikey-operator-ledger", "url"), (secret.Str("name"), secret.Str("key")));
        Assert.True(ParseManager(pod).LeaderElect);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("overlays/ledger-sqlite")]
    [InlineData("overlays/ledger-postgres")]
    public async Task The_termination_grace_period_covers_the_graceful_stop(string config)
    {
        var manifests = await Kustomize.RenderAsync(config, Ct);
        var pod = YamlNodes.Find(manifests, "Deployment", "apikey-operator").Map("spec")!.Map("template")!.Map("spec")!;
        var grace = TimeSpan.FromSeconds(int.Parse(pod.Str("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture));
        var options = ParseManager(pod);

        // Reconciles in flight get --graceful-shutdown-timeout; Program.cs gives the whole stop 40 s before the
        // process ends; the kubelet's SIGKILL must come after both.
        Assert.True(grace > options.GracefulShutdownTimeout + TimeSpan.FromSeconds(5), $"grace {grace} vs shutdown timeout {options.GracefulShutdownTimeout}");
        Assert.True(grace >= TimeSpan.FromSeconds(40) + TimeSpan.FromSeconds(5), $"grace {grace} vs the process's own 40 s");
    }

    private static YamlMappingNode Manager(YamlMappingNode pod) => pod.Maps("containers").Single(c => c.Str("name") == "manager");

    private static OperatorOptions ParseManager(YamlMappingNode pod) =>
        OperatorCommands.ParseRunOptions([.. Manager(pod).Strings("args")], OperatorModules.All);
}
