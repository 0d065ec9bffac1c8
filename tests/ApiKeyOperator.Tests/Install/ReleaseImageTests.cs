using System.Security.Cryptography;
using Xunit;

namespace ApiKeyOperator.Tests.Install;

/// <summary>One image name and tag everywhere: the VERSION file, the Makefile's IMG, the manifests and the Dockerfile.</summary>
public sealed class ReleaseImageTests
{
    private const string Repository = "ghcr.io/apikeyoperator/apikey-operator";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Release => $"v{File.ReadAllText(RepoPaths.Combine("VERSION")).Trim()}";

    [Fact]
    public async Task The_manifests_and_the_makefile_name_the_release_of_the_version_file()
    {
        var manifests = await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken);

        Assert.Matches(@"^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", Release);
        Assert.Equal($"{Repository}:{Release}", ManagerImage(manifests));
        Assert.Equal($"{Repository}:{Release}", await MakeVariableAsync("IMG"));
        Assert.Equal(Release, (await MakeAsync(["-s", "version"])).StandardOutput.Trim());
    }

    [Fact]
    public void The_image_builds_from_the_version_file_and_runs_the_operator_explicitly()
    {
        var stages = DockerfileParser.Parse(File.ReadAllText(RepoPaths.Combine("Dockerfile")));

        Assert.Contains(stages[0].Instructions, i => i.Keyword == "COPY" && i.Arguments.Split(' ').Contains("VERSION"));
        Assert.Equal("[\"run\"]", stages[^1].Instructions.Last(i => i.Keyword == "CMD").Arguments);
        var manager = YamlNodes.Find(YamlNodes.LoadFile(RepoPaths.Combine("config", "manager", "manager.yaml")), "Deployment", "apikey-operator")
            .Map("spec")!.Map("template")!.Map("spec")!.Maps("containers").Single();
        Assert.Equal("run", manager.Strings("args").First());
        Assert.Contains("--log-format=json", manager.Strings("args"));
    }

    [Theory]
    [InlineData("registry.example.com:5000/team/apikey-operator:pr-42")]
    [InlineData("registry.example.com/apikey-operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task Render_names_exactly_IMG_and_leaves_the_tree_as_it_was(string image)
    {
        var before = ConfigDigest();

        var render = await MakeAsync(["-s", "render", $"IMG={image}", "KUSTOMIZE="]);

        Assert.True(render.ExitCode == 0, render.Describe());
        var manifests = YamlNodes.LoadDocuments(new StringReader(render.StandardOutput));
        Assert.Equal(image, ManagerImage(manifests));
        Assert.Equal((await Kustomize.RenderDefaultAsync(TestContext.Current.CancellationToken)).Count, manifests.Count);
        Assert.Equal(before, ConfigDigest());
    }

    private static string? ManagerImage(IReadOnlyList<YamlDotNet.RepresentationModel.YamlMappingNode> manifests) =>
        YamlNodes.Find(manifests, "Deployment", "apikey-operator").Map("spec")!.Map("template")!.Map("spec")!.Maps("containers").Single().Str("image");

    private static async Task<string> MakeVariableAsync(string name)
    {
        var result = await MakeAsync(["-s", "--no-print-directory", $"--eval=print-%: ; @echo $($*)", $"print-{name}"]);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput.Trim();
    }

    private static async Task<ProcessResult> MakeAsync(string[] args)
    {
        var make = ProcessRunner.FindOnPath("make");
        if (make is null || ProcessRunner.FindOnPath("kubectl") is null)
        {
            Assert.Skip("make and kubectl render the install");
        }

        return await ProcessRunner.RunAsync(make, args, RepoPaths.Root, Timeout, TestContext.Current.CancellationToken);
    }

    private static string ConfigDigest()
    {
        var files = Directory.GetFiles(RepoPaths.Combine("config"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        using var sha = SHA256.Create();
        foreach (var file in files)
        {
            var name = System.Text.Encoding.UTF8.GetBytes(file);
            sha.TransformBlock(name, 0, name.Length, null, 0);
            var content = File.ReadAllBytes(file);
            sha.TransformBlock(content, 0, content.Length, null, 0);
        }

        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }
}
