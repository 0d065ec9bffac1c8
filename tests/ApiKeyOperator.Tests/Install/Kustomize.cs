using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Install;

/// <summary>Renders a kustomization under config/ with `kubectl kustomize`, skipping when kubectl is absent.</summary>
public static class Kustomize
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(string configDirectory, CancellationToken cancellationToken)
    {
        var kubectl = ProcessRunner.FindOnPath("kubectl");
        if (kubectl is null)
        {
            Assert.Skip("kubectl is not on PATH; it renders the kustomizations");
        }

        var result = await ProcessRunner.RunAsync(
            kubectl, ["kustomize", RepoPaths.Combine("config", configDirectory)], RepoPaths.Root, Timeout, cancellationToken);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize config/{configDirectory} failed: {result.Describe()}");
        return YamlNodes.LoadDocuments(new StringReader(result.StandardOutput));
    }

    /// <summary>config/default, skipped while the CRD manifests it includes are not in this tree.</summary>
    public static Task<IReadOnlyList<YamlMappingNode>> RenderDefaultAsync(CancellationToken cancellationToken)
    {
        var crdKustomization = YamlNodes.LoadFile(RepoPaths.Combine("config", "crds", "kustomization.yaml")).Single();
        var missing = crdKustomization.Strings("resources")
            .Where(file => !File.Exists(RepoPaths.Combine("config", "crds", file)))
            .ToList();
        if (missing.Count > 0)
        {
            Assert.Skip($"config/crds lacks {string.Join(", ", missing)}; config/default cannot render without the CRDs");
        }

        return RenderAsync("default", cancellationToken);
    }
}
