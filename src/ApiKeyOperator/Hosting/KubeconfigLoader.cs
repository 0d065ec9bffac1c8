using k8s;
using k8s.Exceptions;
using YamlDotNet.Core;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// Finds the cluster as kubectl does — <c>--kubeconfig</c>, then <c>$KUBECONFIG</c> (its first existing file), then
/// <c>~/.kube/config</c>, then the in-cluster service account — but, unlike the client library, never falls back to
/// <c>http://localhost:8080</c>: without any of them it says what to set.
/// </summary>
public static class KubeconfigLoader
{
    public const string NoKubeconfig = "no kubeconfig: set KUBECONFIG or pass --kubeconfig";

    /// <summary>The configuration to use; throws <see cref="KubeconfigException"/> with a one-line reason.</summary>
    public static KubernetesClientConfiguration Load(string? explicitPath, string? context = null) =>
        Load(explicitPath, context, Environment.GetEnvironmentVariable, KubernetesClientConfiguration.IsInCluster);

    internal static KubernetesClientConfiguration Load(string? explicitPath, string? context, Func<string, string?> environment, Func<bool> inCluster)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return FromFiles([explicitPath], context, "--kubeconfig");
        }

        var fromEnvironment = environment("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fromEnvironment is { Length: > 0 })
        {
            return FromFiles(fromEnvironment, context, "$KUBECONFIG");
        }

        if (environment("HOME") is { Length: > 0 } home && Path.Combine(home, ".kube", "config") is var homeConfig && File.Exists(homeConfig))
        {
            return FromFiles([homeConfig], context, "~/.kube/config");
        }

        if (context is null && inCluster())
        {
            try
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
            {
                throw new KubeconfigException($"in-cluster configuration: {e.Message}", e);
            }
        }

        throw new KubeconfigException(NoKubeconfig);
    }

    private static KubernetesClientConfiguration FromFiles(string[] paths, string? context, string source)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count == paths.Length)
        {
            throw new KubeconfigException($"kubeconfig {string.Join(", ", missing)} (from {source}): no such file");
        }

        // Of several files in $KUBECONFIG, the first that exists is used (no merging).
        var file = paths.Except(missing).First();
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(new FileInfo(file), context);
        }
        catch (Exception e) when (e is KubeConfigException or YamlException or IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            var reason = e is YamlException ? "not a valid kubeconfig (YAML error)" : OneLine(e.Message);
            throw new KubeconfigException($"kubeconfig {file} (from {source}): {reason}", e);
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
