using System.CommandLine;
using System.Globalization;
using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Cli;

/// <summary>
/// <c>apikey-operator status &lt;apikey&gt;</c>: keys, expiry, recent rotations and dependents at a glance, with every
/// dependent that still runs a key no longer valid called out. Never prints key material.
/// </summary>
internal static class StatusCommand
{
    /// <summary>How many rotations the history shows, newest first.</summary>
    public const int RotationHistory = 5;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var cluster = new ClusterOptions();
        var apiKeyName = new Argument<string>("apikey") { Description = "Name of the ApiKey" };
        var command = new Command("status", "Show an ApiKey's keys, expiry, last rotation and dependent workloads");
        command.Arguments.Add(apiKeyName);
        cluster.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(error, async () =>
        {
            using var connection = cluster.Connect(result);
            var ns = connection.Namespace;
            var name = result.GetValue(apiKeyName)!;
            var apiKey = await connection.Client<ApiKey>().GetAsync(new ObjectKey(ns, name), cancellationToken);
            if (apiKey is null)
            {
                return CliErrors.Fail(error, $"apikey \"{name}\" not found in namespace \"{ns}\"", ExitCodes.NotFound);
            }

            var rotations = (await connection.Client<ApiKeyRotation>().ListAsync(ns, null, cancellationToken)).Items;
            var deployments = (await connection.Client<V1Deployment>().ListAsync(ns, null, cancellationToken)).Items;
            var statefulSets = (await connection.Client<V1StatefulSet>().ListAsync(ns, null, cancellationToken)).Items;
            var daemonSets = (await connection.Client<V1DaemonSet>().ListAsync(ns, null, cancellationToken)).Items;
            Print(output, apiKey, rotations, deployments, statefulSets, daemonSets, DateTime.UtcNow);
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static void Print(
        TextWriter output, ApiKey apiKey, IReadOnlyList<ApiKeyRotation> rotations,
        IReadOnlyList<V1Deployment> deployments, IReadOnlyList<V1StatefulSet> statefulSets, IReadOnlyList<V1DaemonSet> daemonSets, DateTime now)
    {
        var status = apiKey.Status ?? new ApiKeyStatus();
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready);
        var stalled = Conditions.Find(status.Conditions, ConditionTypes.Stalled);
        var secretName = status.SecretName ?? apiKey.Spec.SecretName;

        output.WriteLine($"ApiKey:         {apiKey.Metadata.NamespaceProperty}/{apiKey.Metadata.Name}");
        output.WriteLine($"Secret:         {secretName}");
        output.WriteLine($"Ready:          {ready?.Status ?? "Unknown"}{Detail(ready)}");
        if (stalled?.Status == ConditionStatuses.True)
        {
            output.WriteLine($"Stalled:        {stalled.Reason}: {stalled.Message}");
        }

        output.WriteLine($"Current key:    {status.CurrentKeyId ?? "<none>"}");
        output.WriteLine($"Expires:        {When(status.ExpiresAt, now)}");
        output.WriteLine($"Next rotation:  {When(status.NextRotationAt, now)}");
        output.WriteLine($"Last used:      {When(status.LastUsedAt, now)}");

        output.WriteLine();
        output.WriteLine("Keys:");
        Table(output, ["ID", "STATE", "CREATED", "EXPIRES", "REVOKE-AT", "REVOKED", "LAST-USED", "SCOPES"], (status.Keys ?? []).Select(k => new[]
        {
            k.Id, k.State, Stamp(k.CreatedAt), Stamp(k.ExpiresAt), Stamp(k.RevokeAt), Stamp(k.RevokedAt), Stamp(k.LastUsedAt),
            k.Scopes is { Count: > 0 } s ? string.Join(",", s) : "-",
        }));

        var history = rotations
            .Where(r => r.Spec?.ApiKeyName == apiKey.Metadata.Name)
            .OrderByDescending(r => r.Metadata.CreationTimestamp)
            .ThenByDescending(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        output.WriteLine();
        output.WriteLine(history.Count > RotationHistory ? $"Rotations (newest {RotationHistory} of {history.Count}):" : "Rotations:");
        Table(output, ["NAME", "STRATEGY", "PHASE", "KEYS", "AGE"], history.Take(RotationHistory).Select(r => new[]
        {
            r.Metadata.Name,
            r.Spec?.Strategy ?? RotationStrategies.Graceful,
            r.Status?.Phase ?? RotationPhases.Pending,
            $"{r.Status?.OldKeyId ?? "?"} -> {r.Status?.NewKeyId ?? "?"}",
            r.Metadata.CreationTimestamp is { } created ? Human(now - created) : "-",
        }));

        var keyStates = (status.Keys ?? []).Where(k => k.Id is not null).GroupBy(k => k.Id!).ToDictionary(g => g.Key, g => (string?)g.First().State);
        var explicitTargets = (apiKey.Spec.Rollout?.Targets ?? []).Select(t => new WorkloadRef(t.Kind, t.Name));
        var dependents = DependentDiscovery.Discover(secretName, apiKey.Spec.Rollout?.AutoDiscover ?? true, explicitTargets, deployments, statefulSets, daemonSets)
            .Select(d => Dependent(d, deployments, statefulSets, daemonSets, keyStates))
            .ToList();
        output.WriteLine();
        output.WriteLine($"Dependents ({dependents.Count}):");
        Table(output, ["WORKLOAD", "KEY-ID", "ROLLOUT"], dependents.Select(d => d.Row));
        foreach (var stale in dependents.Where(d => d.InvalidKey is not null))
        {
            output.WriteLine($"  ! {stale.Row[0]} still runs key {stale.InvalidKey!.Value.Id}, which is {stale.InvalidKey.Value.State}: it fails to authenticate until it is rolled (run a rotation, or kubectl rollout restart)");
        }
    }

    /// <summary>A dependent's row, and the key it runs when that key is no longer valid (Revoked or Expired).</summary>
    private sealed record DependentRow(string[] Row, (string Id, string State)? InvalidKey);

    private static DependentRow Dependent(
        WorkloadRef workload, IReadOnlyList<V1Deployment> deployments, IReadOnlyList<V1StatefulSet> statefulSets, IReadOnlyList<V1DaemonSet> daemonSets,
        Dictionary<string, string?> keyStates)
    {
        (V1PodTemplateSpec? Template, RolloutStatus Rollout)? found = workload.Kind switch
        {
            WorkloadKinds.Deployment => deployments.FirstOrDefault(d => d.Metadata.Name == workload.Name) is { } d ? (d.Spec?.Template, RolloutReadiness.Evaluate(d)) : null,
            WorkloadKinds.StatefulSet => statefulSets.FirstOrDefault(s => s.Metadata.Name == workload.Name) is { } s ? (s.Spec?.Template, RolloutReadiness.Evaluate(s)) : null,
            WorkloadKinds.DaemonSet => daemonSets.FirstOrDefault(d => d.Metadata.Name == workload.Name) is { } ds ? (ds.Spec?.Template, RolloutReadiness.Evaluate(ds)) : null,
            _ => null,
        };
        if (found is not { } f)
        {
            return new DependentRow([workload.ToString(), "-", "not found"], null);
        }

        var keyId = RollAnnotation.Current(f.Template);
        var state = keyId is not null && keyStates.TryGetValue(keyId, out var known) ? known : null;
        var invalid = keyId is not null && state is not null && !KeyStates.IsValid(state);
        return new DependentRow(
            [workload.ToString(), invalid ? $"{keyId} ({state}!)" : keyId ?? "-", $"{f.Rollout.State}: {f.Rollout.Message}"],
            invalid ? (keyId!, state!) : null);
    }

    private static string Detail(V1Condition? condition) =>
        condition is null ? "" : $" ({condition.Reason}: {condition.Message})";

    private static string Stamp(DateTime? at) => at?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "-";

    private static string When(DateTime? at, DateTime now)
    {
        if (at is not { } t)
        {
            return "-";
        }

        var delta = t - now;
        var relative = delta >= TimeSpan.Zero ? $"in {Human(delta)}" : $"{Human(-delta)} ago";
        return $"{Stamp(t)} ({relative})";
    }

    private static string Human(TimeSpan span) => span.TotalDays >= 2
        ? $"{(int)span.TotalDays}d"
        : span.TotalHours >= 2 ? $"{(int)span.TotalHours}h" : span.TotalMinutes >= 2 ? $"{(int)span.TotalMinutes}m" : $"{(int)span.TotalSeconds}s";

    private static void Table(TextWriter output, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        if (all.Count == 1)
        {
            output.WriteLine("  <none>");
            return;
        }

        var widths = Enumerable.Range(0, header.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            output.WriteLine("  " + string.Join("   ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
