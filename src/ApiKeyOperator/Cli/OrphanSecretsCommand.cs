using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;
using k8s.Autorest;
using k8s.Models;

namespace ApiKeyOperator.Cli;

/// <summary>
/// <c>apikey-operator orphan-secrets [-A]</c>: the keep-Secrets step of an uninstall (README "Uninstall"). Removes the
/// ApiKey ownerReference from every credential Secret (label <c>apikeyoperator.io/apikey</c>), so that deleting the
/// ApiKeys — or their CRD — neither garbage-collects the Secret nor lets the operator's finalizer delete it. Keys are
/// still revoked in the ApiKey's status and audit trail; the Secret keeps its data. Idempotent.
/// </summary>
internal static class OrphanSecretsCommand
{
    private const int ConflictRetries = 5;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var cluster = new ClusterOptions();
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "Every namespace, not just -n/--namespace" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be orphaned; change nothing" };
        var command = new Command(
            "orphan-secrets",
            "Keep credential Secrets when their ApiKeys are deleted (run before an uninstall): removes the ApiKey ownerReference from each");
        command.Options.Add(allNamespaces);
        command.Options.Add(dryRun);
        cluster.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(error, async () =>
        {
            using var connection = cluster.Connect(result);
            var scope = result.GetValue(allNamespaces) ? null : connection.Namespace;
            var secrets = connection.Client<V1Secret>();
            var list = await secrets.ListAsync(scope, WellKnown.ApiKeyLabel, cancellationToken);
            var count = 0;
            foreach (var secret in list.Items.OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
            {
                if (SecretOwnership.WithoutApiKeys(secret) is null)
                {
                    continue;
                }

                var owner = secret.Metadata.OwnerReferences.First(SecretOwnership.IsApiKeyReference).Name;
                if (!result.GetValue(dryRun))
                {
                    await OrphanAsync(secrets, ObjectKey.Of(secret), cancellationToken);
                }

                count++;
                await output.WriteLineAsync($"secret/{secret.Metadata.Name} -n {secret.Metadata.NamespaceProperty}: orphaned from apikey {owner}{(result.GetValue(dryRun) ? " (dry run)" : "")}");
            }

            await output.WriteLineAsync(count == 0
                ? $"no credential Secret owned by an ApiKey in {(scope is null ? "any namespace" : $"namespace \"{scope}\"")}"
                : $"{count} Secret(s) will be kept when their ApiKeys are deleted");
            return ExitCodes.Success;
        }));
        return command;
    }

    // A merge patch replaces the whole ownerReferences list; resourceVersion makes it conditional, so a concurrent
    // change (the operator writing the Secret) is re-read rather than overwritten.
    private static async Task OrphanAsync(ResourceClient<V1Secret> secrets, ObjectKey key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await secrets.GetAsync(key, cancellationToken);
            if (current is null || SecretOwnership.WithoutApiKeys(current) is not { } kept)
            {
                return;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["ownerReferences"] = JsonNode.Parse(k8s.KubernetesJson.Serialize(kept)),
                    ["resourceVersion"] = current.Metadata.ResourceVersion,
                },
            }.ToJsonString();
            try
            {
                await secrets.PatchAsync(key, patch, cancellationToken);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < ConflictRetries)
            {
                // Changed meanwhile: read again.
            }
        }
    }
}
