using ApiKeyOperator.Tests.Install;
using k8s;
using k8s.Autorest;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// Puts the RBAC half of a rendered install into a cluster (Namespaces, ServiceAccounts, Roles, ClusterRoles and
/// their bindings, as `kubectl apply` would) and reads the Deployments' arguments, so that a test runs the operator
/// with exactly the permissions and flags the install gives it.
/// </summary>
public static class InstalledRbac
{
    public static async Task ApplyAsync(IKubernetes client, IEnumerable<YamlMappingNode> manifests, CancellationToken cancellationToken)
    {
        foreach (var manifest in manifests)
        {
            var yaml = Yaml(manifest);
            try
            {
                switch (manifest.Kind())
                {
                    case "Namespace":
                        await client.CoreV1.CreateNamespaceAsync(KubernetesYaml.Deserialize<V1Namespace>(yaml), cancellationToken: cancellationToken);
                        break;
                    case "ServiceAccount":
                        var account = KubernetesYaml.Deserialize<V1ServiceAccount>(yaml);
                        await client.CoreV1.CreateNamespacedServiceAccountAsync(account, account.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                        break;
                    case "ClusterRole":
                        await client.RbacAuthorizationV1.CreateClusterRoleAsync(KubernetesYaml.Deserialize<V1ClusterRole>(yaml), cancellationToken: cancellationToken);
                        break;
                    case "ClusterRoleBinding":
                        await client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(KubernetesYaml.Deserialize<V1ClusterRoleBinding>(yaml), cancellationToken: cancellationToken);
                        break;
                    case "Role":
                        var role = KubernetesYaml.Deserialize<V1Role>(yaml);
                        await client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, role.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                        break;
                    case "RoleBinding":
                        var binding = KubernetesYaml.Deserialize<V1RoleBinding>(yaml);
                        await client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, binding.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                        break;
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // Already there (a namespace the test made, or a second apply).
            }
        }
    }

    /// <summary>The container arguments of a rendered Deployment.</summary>
    public static IReadOnlyList<string> Args(IEnumerable<YamlMappingNode> manifests, string deployment) =>
        YamlNodes.Find(manifests, "Deployment", deployment).Map("spec")!.Map("template")!.Map("spec")!.Maps("containers").Single().Strings("args");

    /// <summary>
    /// <paramref name="args"/> for a process on this machine: listeners on free loopback ports, files in
    /// <paramref name="workDir"/>, and <paramref name="replace"/> applied to any other flag (e.g. the namespaces).
    /// </summary>
    public static string[] Local(IReadOnlyList<string> args, string workDir, string kubeconfig, IReadOnlyDictionary<string, string>? replace = null)
    {
        var local = new List<string> { "run", "--kubeconfig", kubeconfig, "--log-level", "debug" };
        foreach (var arg in args.Where(a => a != "run"))
        {
            var (flag, value) = arg.Split('=', 2) is [var f, var v] ? (f, v) : (arg, null);
            local.Add(flag switch
            {
                "--metrics-bind-address" or "--health-probe-bind-address" or "--review-bind-address" or "--webhook-bind-address" => $"{flag}=127.0.0.1:0",
                "--ledger-path" => $"{flag}={Path.Combine(workDir, Path.GetFileName(value!))}",
                "--cert-dir" => $"{flag}={Path.Combine(workDir, "tls")}",
                _ when replace?.TryGetValue(flag, out var replaced) == true => $"{flag}={replaced}",
                _ => arg,
            });
        }

        // A pod's webhook knows its user from the ServiceAccount token and is reached through its Service.
        if (args.Any(a => a.StartsWith("--webhook-bind-address", StringComparison.Ordinal)))
        {
            local.AddRange(["--webhook-self-register=false", $"--operator-username={Harness.OperatorIdentities.Operator}"]);
        }

        return [.. local];
    }

    private static string Yaml(YamlMappingNode manifest)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(manifest)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
