using System.CommandLine;
using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s.Models;

namespace ApiKeyOperator.Cli;

/// <summary>
/// <c>apikey-operator rotate &lt;apikey&gt;</c>: creates an ApiKeyRotation (the same object a GitOps commit
/// would add) and, with <c>--wait</c>, follows it to the end. Every flag is checked before anything is created.
/// </summary>
internal static class RotateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var cluster = new ClusterOptions();
        var apiKey = new Argument<string>("apikey") { Description = "Name of the ApiKey to rotate" };
        var emergency = new Option<bool>("--emergency") { Description = "Revoke the old key first, then issue and roll (the key is compromised; accepts an outage)" };
        var gracePeriod = new Option<string?>("--grace-period")
        {
            Description = "How long the old key stays valid once every dependent is Ready (e.g. 1h, 0s); default from the ApiKey",
            HelpName = "duration",
        };
        var reason = new Option<string?>("--reason") { Description = "Why; copied into Events and the audit trail" };
        var wait = new Option<bool>("--wait") { Description = $"Follow the rotation until it succeeds or fails (exit {ExitCodes.Failed} when it fails)" };
        var timeout = DurationOption.Create(
            "--timeout", $"With --wait: give up waiting after this long (exit {ExitCodes.Timeout}; the rotation goes on)", TimeSpan.FromMinutes(30), TimeSpan.Zero);

        var command = new Command("rotate", "Rotate an ApiKey: issue a new key, roll its dependents, revoke the old key after they are Ready");
        command.Arguments.Add(apiKey);
        foreach (var option in new Option[] { emergency, gracePeriod, reason, wait, timeout })
        {
            command.Options.Add(option);
        }

        cluster.AddTo(command);
        gracePeriod.Validators.Add(result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (!GoDuration.TryParse(text, out var value, out var parseError))
            {
                result.AddError($"--grace-period: {parseError}");
            }
            else if (value < TimeSpan.Zero)
            {
                result.AddError($"--grace-period: \"{text}\" is negative");
            }
        });
        command.Validators.Add(result =>
        {
            if (result.GetResult(timeout) is { Implicit: false } && !result.GetValue(wait))
            {
                result.AddError("--timeout only applies with --wait");
            }
        });
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(error, async () =>
        {
            using var connection = cluster.Connect(result);
            var name = result.GetValue(apiKey)!;
            var target = await connection.Client<ApiKey>().GetAsync(new ObjectKey(connection.Namespace, name), cancellationToken);
            if (target is null)
            {
                return CliErrors.Fail(error, $"apikey \"{name}\" not found in namespace \"{connection.Namespace}\"", ExitCodes.NotFound);
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
                    GracePeriod = result.GetValue(gracePeriod),
                    Reason = result.GetValue(reason),
                },
            }, cancellationToken);
            await output.WriteLineAsync($"apikeyrotation.apikeyoperator.io/{rotation.Metadata.Name} created");
            if (!result.GetValue(wait))
            {
                return ExitCodes.Success;
            }

            return await new RotationFollower(connection.Client<ApiKeyRotation>(), output, error, TimeProvider.System)
                .FollowAsync(ObjectKey.Of(rotation), result.GetValue(timeout), cancellationToken);
        }));
        return command;
    }
}
