using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s;

namespace ApiKeyOperator.Cli;

/// <summary>
/// Follows one ApiKeyRotation by list+watch and prints a line whenever its phase or progress message changes.
/// Exit codes: <see cref="ExitCodes.Success"/> Succeeded, <see cref="ExitCodes.Failed"/> Failed, <see cref="ExitCodes.Timeout"/>
/// the wait ran out (the rotation goes on in the cluster).
/// </summary>
internal sealed class RotationFollower(ResourceClient<ApiKeyRotation> rotations, TextWriter output, TextWriter error, TimeProvider time)
{
    private string? _lastLine;

    public async Task<int> FollowAsync(ObjectKey key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (true)
            {
                var list = await rotations.ListAsync(key.Namespace, null, linked.Token);
                var current = list.Items.FirstOrDefault(r => r.Metadata.Name == key.Name);
                if (current is null)
                {
                    return CliErrors.Fail(error, $"apikeyrotation \"{key.Name}\" was deleted");
                }

                if (Report(current) is { } exit)
                {
                    return exit;
                }

                // A watch ends after its timeout or on a server restart; list again and carry on.
                await foreach (var change in rotations.WatchAsync(key.Namespace, null, list.ResourceVersion, TimeSpan.FromMinutes(5), time, linked.Token))
                {
                    if (change.Object?.Metadata.Name != key.Name)
                    {
                        continue;
                    }

                    if (change.Type == WatchEventType.Deleted)
                    {
                        return CliErrors.Fail(error, $"apikeyrotation \"{key.Name}\" was deleted");
                    }

                    if (Report(change.Object) is { } done)
                    {
                        return done;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return CliErrors.Fail(
                error,
                $"apikeyrotation \"{key.Name}\" did not finish within {GoDuration.FormatCompact(timeout)}; it goes on in the cluster (kubectl get akr {key.Name} -n {key.Namespace})",
                ExitCodes.Timeout);
        }
    }

    private int? Report(ApiKeyRotation rotation)
    {
        var status = rotation.Status;
        var phase = status?.Phase ?? RotationPhases.Pending;
        var condition = Conditions.Find(status?.Conditions, phase == RotationPhases.Succeeded ? ConditionTypes.Ready : ConditionTypes.Reconciling)
            ?? Conditions.Find(status?.Conditions, ConditionTypes.Stalled);
        var targets = status?.Targets is { Count: > 0 } t ? $" [{t.Count(x => x.Ready)}/{t.Count} dependents Ready]" : "";
        var line = $"{phase}{targets}: {condition?.Message ?? "waiting for the operator"}";
        if (line != _lastLine)
        {
            _lastLine = line;
            output.WriteLine($"{time.GetUtcNow():HH:mm:ss} {line}");
        }

        return phase switch
        {
            RotationPhases.Succeeded => ExitCodes.Success,
            RotationPhases.Failed => CliErrors.Fail(error, $"rotation {rotation.Metadata.Name} failed: {Conditions.Find(status?.Conditions, ConditionTypes.Stalled)?.Message}"),
            _ => null,
        };
    }
}
