using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Tests.Install;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Rotations;

public sealed class FailedRotationTests(ClusterFixture cluster) : RotationTest(cluster)
{
    [Fact]
    public async Task A_dependent_that_never_becomes_ready_fails_the_rotation_and_both_keys_stay_valid()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync()).Status.CurrentKeyId!;
        await DeploymentAsync("web", SecretUse.Volume);
        await DeploymentAsync("broken", SecretUse.EnvFrom, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 2);
        await WaitForDeploymentReadyAsync("web");

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var failed = await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var newKeyId = failed.Status.NewKeyId!;
        var stalled = Conditions.Find(failed.Status.Conditions, ConditionTypes.Stalled);
        Assert.NotNull(stalled);
        Assert.Equal(ConditionStatuses.True, stalled.Status);
        Assert.Equal(Reasons.ProgressDeadlineExceeded, stalled.Reason);
        Assert.Contains("broken", stalled.Message, StringComparison.Ordinal);
        Assert.False(Conditions.IsTrue(failed.Status.Conditions, ConditionTypes.Ready));
        Assert.Contains(await EventsAsync(), e => e.Type == "Warning" && e.InvolvedObject.Name == "rotate-1" && e.Message.Contains("broken", StringComparison.Ordinal));

        // Nothing revoked: the old key is still Retiring (valid) next to the new one, and the ApiKey says the rotation failed.
        var apiKey = await WaitForAsync<ApiKey>(ApiKeyName, k => Conditions.Find(k.Status?.Conditions, ConditionTypes.Rotating)?.Reason == Reasons.RotationFailed, "Rotating=False RotationFailed");
        Assert.Equal(ConditionStatuses.False, Conditions.Find(apiKey.Status.Conditions, ConditionTypes.Rotating)!.Status);
        Assert.Equal(KeyStates.Retiring, KeyOf(apiKey, oldKeyId).State);
        Assert.Equal(KeyStates.Active, KeyOf(apiKey, newKeyId).State);

        // The healthy dependent was rolled to the new key and runs it.
        await WaitForAsync<V1Deployment>("web", d => RotationWorkloads.RolledKeyId(d.Spec.Template) == newKeyId && Rollouts.RolloutReadiness.Evaluate(d).IsReady, "rolled to the new key and Ready");
        Assert.Equal(newKeyId, RotationWorkloads.RolledKeyId((await Resources<V1Deployment>().GetAsync(Key("broken"), Ct))!.Spec.Template));
    }

    [Fact]
    public async Task A_dependent_still_not_ready_at_the_rollout_timeout_fails_the_rotation_naming_it()
    {
        // The Deployment's own progress deadline (600 s) is far away: only spec.rollout.timeout can end this.
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync(s => s.Rollout = new RolloutSpec { Timeout = "3s" })).Status.CurrentKeyId!;
        await DeploymentAsync("slow", SecretUse.Volume, replicas: 1, image: RotationWorkloads.BrokenImage, progressDeadlineSeconds: 600);

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var failed = await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var stalled = Conditions.Find(failed.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(Reasons.RolloutTimeout, stalled.Reason);
        Assert.Contains("Deployment/slow", stalled.Message, StringComparison.Ordinal);
        Assert.Contains("spec.rollout.timeout", stalled.Message, StringComparison.Ordinal);
        Assert.True(failed.Status.CompletedAt >= failed.Status.StartedAt!.Value.AddSeconds(3), "failed before the timeout");
        var apiKey = (await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct))!;
        Assert.Equal(KeyStates.Retiring, KeyOf(apiKey, oldKeyId).State);

        // The two valid keys show where an operator looks first: `kubectl get ak` (and -o wide, and the rotation).
        await WaitForAsync<ApiKey>(ApiKeyName, k => k.Status?.LastRotation?.Phase == RotationPhases.Failed && k.Status.ValidKeys == 2, "lastRotation Failed, two valid keys");
        var kubectl = ProcessRunner.FindOnPath("kubectl");
        if (kubectl is null)
        {
            Assert.Skip("kubectl is not on PATH");
        }

        var ak = await KubectlTableAsync(kubectl, "get", "ak", ApiKeyName);
        Assert.Equal(["NAME", "READY", "STATUS", "KEY", "EXPIRES", "LAST-USED", "VALID", "ROTATION", "AGE"], ak.Columns);
        Assert.Equal((ApiKeyName, "True", failed.Status.NewKeyId, "2", RotationPhases.Failed), (ak["NAME"], ak["READY"], ak["KEY"], ak["VALID"], ak["ROTATION"]));
        Assert.DoesNotContain(ak["STATUS"], new[] { "", "<none>" });
        var wide = await KubectlTableAsync(kubectl, "get", "ak", ApiKeyName, "-o", "wide");
        Assert.Equal(["SCOPES", "SECRET"], wide.Columns.Except(ak.Columns));
        Assert.Equal(SecretName, wide["SECRET"]);
        var akr = await KubectlTableAsync(kubectl, "get", "akr", "rotate-1", "-o", "wide");
        Assert.Equal(["NAME", "APIKEY", "STATUS", "STRATEGY", "PHASE", "NEW-KEY", "OLD-KEY", "REVOKE-OLD-AT", "AGE"], akr.Columns);
        Assert.Equal((ApiKeyName, Reasons.RolloutTimeout, RotationPhases.Failed, oldKeyId), (akr["APIKEY"], akr["STATUS"], akr["PHASE"], akr["OLD-KEY"]));
    }

    /// <summary>One row of kubectl's table, cut at the header's column starts (cells may hold spaces or be empty).</summary>
    private async Task<KubectlRow> KubectlTableAsync(string kubectl, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(kubectl, ["--kubeconfig", KubeconfigPath, "-n", Namespace, .. args], RepoPaths.Root, TimeSpan.FromSeconds(60), Ct);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result.Describe()}");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var starts = System.Text.RegularExpressions.Regex.Matches(lines[0], @"\S+").Select(m => (m.Value, m.Index)).ToList();
        var cells = starts.Select((c, i) =>
        {
            var end = i + 1 < starts.Count ? starts[i + 1].Index : lines[1].Length;
            return (c.Value, lines[1][Math.Min(c.Index, lines[1].Length)..Math.Min(end, lines[1].Length)].Trim());
        });
        return new KubectlRow(starts.Select(c => c.Value).ToList(), cells.ToDictionary(c => c.Item1, c => c.Item2));
    }

    private sealed record KubectlRow(IReadOnlyList<string> Columns, IReadOnlyDictionary<string, string> Cells)
    {
        public string this[string column] => Cells[column];
    }

    [Fact]
    public async Task An_explicit_target_that_does_not_exist_fails_the_rotation_before_any_key_is_issued()
    {
        await StartOperatorAsync();
        var oldKeyId = (await ApiKeyWithKeyAsync(s => s.Rollout = new RolloutSpec { Targets = [new RolloutTarget { Kind = WorkloadKinds.Deployment, Name = "nope" }] })).Status.CurrentKeyId!;

        await CreateRotationAsync("rotate-1", ApiKeyName);
        var failed = await WaitForPhaseAsync("rotate-1", RotationPhases.Failed);

        var stalled = Conditions.Find(failed.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(Reasons.TargetNotFound, stalled.Reason);
        Assert.Contains("Deployment/nope", stalled.Message, StringComparison.Ordinal);
        Assert.Null(failed.Status.NewKeyId);
        var apiKey = await Resources<ApiKey>().GetAsync(Key(ApiKeyName), Ct);
        var only = Assert.Single(apiKey!.Status.Keys!);
        Assert.Equal(oldKeyId, only.Id);
        Assert.Equal(KeyStates.Active, only.State);
    }
}
