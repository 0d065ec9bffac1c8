using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Cli;

/// <summary>The operator binary as a container runs it: what it prints, line by line, and how it exits.</summary>
public sealed class OperatorProcessTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    private static readonly string[] ZapKeys = ["level", "ts", "logger", "msg"];

    [Fact]
    public async Task Json_logs_are_one_flat_zap_object_per_line_with_the_reconcile_scope()
    {
        await using var process = BinaryProcess.Start(
        [
            "run", "--kubeconfig", KubeconfigPath, "--namespace", Namespace,
            "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0", "--review-bind-address", "0",
            "--ledger-path", LedgerPath, "--log-format", "json", "--log-level", "debug",
        ], Path.GetTempPath());
        await CreateApiKeyAsync("svc");
        var apiKey = await WaitForAsync<ApiKey>(
            "svc", k => Conditions.IsTrue(k.Status?.Conditions, ConditionTypes.Ready) && k.Status?.CurrentKeyId is not null, "Ready with a key", BinaryProcess.Deadline);
        var secret = await Resources<V1Secret>().GetAsync(Key("svc-key"), Ct);
        await Eventually.WaitAsync(
            _ => Task.FromResult(process.StandardOutput.Any(l => l.Contains("\"reconcileID\"", StringComparison.Ordinal) && l.Contains(apiKey.Status.CurrentKeyId!, StringComparison.Ordinal))),
            BinaryProcess.Deadline, "a reconcile's log line naming the issued key id", Ct);

        Assert.Equal(0, await process.TerminateAsync(BinaryProcess.Deadline, Ct));

        Assert.Empty(process.StandardError);
        var lines = process.StandardOutput;
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.Equal(ZapKeys, root.EnumerateObject().Take(4).Select(p => p.Name));
            Assert.Contains(root.GetProperty("level").GetString(), new[] { "debug", "info", "warn", "error" });
            Assert.True(root.GetProperty("ts").GetDouble() > 1.7e9, line);
            Assert.All(root.EnumerateObject(), p => Assert.True(p.Value.ValueKind != JsonValueKind.Object, $"nested object {p.Name}: {line}"));
            Assert.DoesNotContain("OriginalFormat", line, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\d\d:\d\d:\d\d\.\d{7}", line);
        }

        var reconcile = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .First(e => e.TryGetProperty("reconcileID", out _) && e.GetProperty("msg").GetString()!.Contains(apiKey.Status.CurrentKeyId!, StringComparison.Ordinal));
        Assert.Equal(Namespace, reconcile.GetProperty("namespace").GetString());
        Assert.Equal("svc", reconcile.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(reconcile.GetProperty("controller").GetString()));
        Assert.True(Guid.TryParse(reconcile.GetProperty("reconcileID").GetString(), out _));
        var token = System.Text.Encoding.UTF8.GetString(secret!.Data["apiKey"]);
        Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--metrics-bind-address")]
    [InlineData("--health-probe-bind-address")]
    [InlineData("--review-bind-address")]
    public async Task A_port_in_use_is_one_line_on_stderr_and_exit_1(string flag)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var addresses = new Dictionary<string, string>
        {
            ["--metrics-bind-address"] = "127.0.0.1:0", ["--health-probe-bind-address"] = "127.0.0.1:0", ["--review-bind-address"] = "127.0.0.1:0",
        };
        addresses[flag] = busy;

        var (exit, process) = await BinaryProcess.RunAsync(
            ["run", "--kubeconfig", KubeconfigPath, "--namespace", Namespace, "--ledger-path", LedgerPath, "--review-auth", "none",
                .. addresses.SelectMany(a => new[] { a.Key, a.Value })],
            Path.GetTempPath(), BinaryProcess.Deadline, Ct);
        await using (process)
        {
            Assert.Equal(1, exit);
            Assert.Equal([$"error: {busy} is already in use ({flag})"], process.StandardError);
            var output = string.Join('\n', process.StandardOutput);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("BackgroundServiceExceptionBehavior", output, StringComparison.Ordinal);
            Assert.DoesNotContain("\"level\":\"error\"", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--review-tls-cert-file")]
    [InlineData("--kubeconfig")]
    public async Task A_missing_file_is_one_line_naming_it_and_exit_1(string flag)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "file");
        var args = new Dictionary<string, string>
        {
            ["--kubeconfig"] = KubeconfigPath, ["--review-tls-cert-file"] = KubeconfigPath, ["--review-tls-key-file"] = KubeconfigPath,
        };
        args[flag] = missing;

        var (exit, process) = await BinaryProcess.RunAsync(
            ["run", "--namespace", Namespace, "--ledger-path", LedgerPath, "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0",
                "--review-bind-address", "127.0.0.1:0", "--review-auth", "none", .. args.SelectMany(a => new[] { a.Key, a.Value })],
            Path.GetTempPath(), BinaryProcess.Deadline, Ct);
        await using (process)
        {
            Assert.Equal(1, exit);
            var expected = flag == "--kubeconfig" ? $"error: kubeconfig {missing} (from --kubeconfig): no such file" : $"error: {flag} {missing}: no such file";
            Assert.Equal([expected], process.StandardError);
            Assert.DoesNotContain(process.StandardOutput, l => l.Contains("   at ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_bare_binary_prints_help_and_starts_nothing()
    {
        var cwd = Directory.CreateTempSubdirectory("bare-");
        try
        {
            var (exit, process) = await BinaryProcess.RunAsync([], cwd.FullName, BinaryProcess.Deadline, Ct);
            await using (process)
            {
                Assert.Equal(0, exit);
                Assert.Contains(process.StandardOutput, l => l.StartsWith("Usage:", StringComparison.Ordinal));
                Assert.Empty(process.StandardError);
                // No ledger written into the working directory, nothing listening: the process has ended already.
                Assert.Empty(cwd.EnumerateFileSystemInfos());
            }
        }
        finally
        {
            cwd.Delete(recursive: true);
        }
    }
}
