using System.CommandLine;
using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Cli;

/// <summary>
/// <c>apikey-operator rotate &lt;apikey&gt;</c>: creates an ApiKeyRotation (the same object a GitOps commit
/// would add) and, with <c>--wait</c>, follows it to the end.
/// </summary>
internal static class RotateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var cluster = new ClusterOptions();
        var apiKey = new Argument<string>("apikey") { Description = "Name of the ApiKey to rotate" };
        var emergency = new Option<bool>("--emergency") { Description = "Revoke the old key first, then issue and roll (the key is compromised; accepts an outage)" };
        var gracePeriod = new Option<string?>("--grace-period") { Description = "How long the old key stays valid once every dependent is Ready (e.g. 1h, 0s); default from the ApiKey" };
        var reason = new Option<string?>("--reason") { Description = "Why; copied into Events and the audit trail" };
        var wait = new Option<bool>("--wait") { Description = "Follow the rotation until it succeeds or fails; exit 1 when it fails" };
        var timeout = new Option<string>("--timeout") { Description = "With --wait: give up after this long (exit 2)", DefaultValueFactory = _ => "30m" };

        var command = new Command("rotate", "Rotate an ApiKey: issue a new key, roll its dependents, revoke the old key after they are Ready");
        command.Arguments.Add(apiKey);
        foreach (var option in new Option[] { emergency, gracePeriod, reason, wait, timeout })
        {
            command.Options.Add(option);
        }

        cluster.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var grace = result.GetValue(gracePeriod);
            if (grace is not null && !GoDuration.TryParse(grace, out _, out var graceError))
            {
                return CliErrors.Fail(error, $"--grace-period: {graceError}");
            }

            if (!GoDuration.TryParse(result.GetValue(timeout), out var waitTimeout, out var timeoutError))
            {
                return CliErrors.Fail(error, $"--timeout: {timeoutError}");
            }

            return await CliErrors.RunAsync(error, async () =>
            {
                using var connection = cluster.Connect(result);
                var name = result.GetValue(apiKey)!;
                var target = await connection.Client<ApiKey>().GetAsync(new ObjectKey(connection.Namespace, name), cancellationToken);
                if (target is null)
                {
                    return CliErrors.Fail(error, $"apikey \"{name}\" not found in namespace \"{connection.Namespace}\"");
                }

                var rotation = await connection.Client<ApiKeyRotation>().CreateAsync(new ApiKeyRotation
                {
                    Metadata = new V1ObjectMeta
                    {
                        GenerateName = $"{name}-",
                        NamespaceProperty = connection.Namespace,
                        Labels = new Dictionary<string, string> { [WellKnown.ApiKeyLabel] = name },
                    },
                    Spec = new ApiKeyRotationSpec
                    {
                        ApiKeyName = name,
                        Strategy = result.GetValue(emergency) ? RotationStrategies.Emergency : RotationStrategies.Graceful,
                        GracePeriod = grace,
                        Reason = result.GetValue(reason),
                    },
                }, cancellationToken);
                await output.WriteLineAsync($"apikeyrotation.apikeyoperator.io/{rotation.Metadata.Name} created");
                if (!result.GetValue(wait))
                {
                    return 0;
                }

                return await new RotationFollower(connection.Client<ApiKeyRotation>(), output, error, TimeProvider.System)
                    .FollowAsync(ObjectKey.Of(rotation), waitTimeout, cancellationToken);
            });
        });
        return command;
    }
}
