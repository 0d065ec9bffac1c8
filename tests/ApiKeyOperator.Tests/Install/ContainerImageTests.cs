using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// Docker is not available here, so the Dockerfile's build stage is replayed: its COPY steps into a temp
/// directory standing in for the container filesystem, then exactly its `RUN dotnet …` commands, then
/// the runtime stage's ENTRYPOINT with --help.
/// </summary>
public sealed class ContainerImageTests
{
    // A hang guard, not a performance bound: a loaded 2-core machine has needed over 3 minutes to publish.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);

    // No build servers or reused MSBuild nodes: they would outlive the test holding its output pipes.
    private static readonly Dictionary<string, string> QuietDotnet = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["UseSharedCompilation"] = "false",
    };

    private static readonly IReadOnlyList<DockerStage> Stages =
        DockerfileParser.Parse(File.ReadAllText(RepoPaths.Combine("Dockerfile")));

    [Fact]
    public void ImageIsMultiStageOnAChiseledNonRootRuntimeWithTheLedgerOnAVolume()
    {
        Assert.True(Stages.Count >= 2, "expected a build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Stages[0].BaseImage, StringComparison.Ordinal);
        var runtime = Stages[^1];
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", runtime.BaseImage);
        Assert.Equal("65532:65532", Last(runtime, "USER"));
        Assert.Equal("/var/lib/apikey-operator", Last(runtime, "VOLUME"));
        Assert.DoesNotContain(runtime.Instructions, i => i.Keyword == "RUN");
        Assert.Contains(Stages[0].Instructions, i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish src/ApiKeyOperator/ApiKeyOperator.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void BuildContextExcludesLocalBuildOutput()
    {
        var ignored = File.ReadAllLines(RepoPaths.Combine(".dockerignore")).Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("**/*.db", ignored);
    }

    [Fact]
    public async Task PublishedOperatorPrintsUsageListingEveryFlagTheDeploymentPasses()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var root = Directory.CreateTempSubdirectory("apikey-operator-image-");
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await ReplayBuildStageAsync(Stages[0], root.FullName, cancellationToken);
            var published = Path.Combine(root.FullName, "app", "apikey-operator.dll");
            Assert.True(File.Exists(published), $"the publish step produced no {published}");
            // The ledger's SQLite is native code; the chiseled image has nothing to build or install it from.
            Assert.True(
                File.Exists(Path.Combine(root.FullName, "app", "runtimes", "linux-x64", "native", "libe_sqlite3.so")),
                "the published output lacks the native SQLite library for linux-x64");

            if (!OperatorSourceMentions("leader-elect"))
            {
                Assert.Skip($"published in {stopwatch.Elapsed.TotalSeconds:F0} s; src/ApiKeyOperator has no --leader-elect option yet, so --help cannot show it");
            }

            // The Deployment's args start with the command (`run`); its --help lists the flags it takes.
            var entrypoint = JsonSerializer.Deserialize<string[]>(Last(Stages[^1], "ENTRYPOINT"))!;
            var command = DeploymentArgs().TakeWhile(arg => !arg.StartsWith('-')).ToList();
            Assert.Equal(["run"], command);
            Assert.Equal(command, JsonSerializer.Deserialize<string[]>(Last(Stages[^1], "CMD")));
            var help = await ProcessRunner.RunAsync(
                entrypoint[0],
                [.. entrypoint.Skip(1).Select(arg => InContainer(root.FullName, arg)), .. command, "--help"],
                Path.Combine(root.FullName, "app"),
                TimeSpan.FromSeconds(30),
                cancellationToken,
                QuietDotnet);

            Assert.True(help.ExitCode == 0, help.Describe());
            Assert.Contains("--leader-elect", help.StandardOutput, StringComparison.Ordinal);

            // A flag the binary does not know would crash-loop the installed Deployment. Flags of features not
            // written yet (named nowhere in the operator's source) skip; a written feature must be wired into run.
            // A flag is listed followed by its value or, when it has aliases, by a comma.
            var unknownFlags = DeploymentFlags()
                .Where(flag => !help.StandardOutput.Contains($"{flag} ", StringComparison.Ordinal) && !help.StandardOutput.Contains($"{flag},", StringComparison.Ordinal))
                .ToList();
            var unwritten = unknownFlags.Where(flag => !OperatorSourceMentions(flag)).ToList();
            Assert.Empty(unknownFlags.Except(unwritten));
            if (unwritten.Count > 0)
            {
                Assert.Skip($"usage checked; the Deployment passes {string.Join(", ", unwritten)}, which src/ApiKeyOperator does not define yet");
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task ReplayBuildStageAsync(DockerStage stage, string root, CancellationToken cancellationToken)
    {
        var workdir = "/";
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = instruction.Arguments;
                    Directory.CreateDirectory(InContainer(root, workdir));
                    break;
                case "COPY":
                    Copy(instruction.Arguments, root, workdir);
                    break;
                case "RUN" when instruction.Arguments.StartsWith("dotnet ", StringComparison.Ordinal):
                    Assert.DoesNotContain('"', instruction.Arguments);
                    var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var result = await ProcessRunner.RunAsync(
                        "dotnet",
                        words.Skip(1).Select(word => InContainer(root, word)),
                        InContainer(root, workdir),
                        StepTimeout,
                        cancellationToken,
                        QuietDotnet);
                    Assert.True(result.ExitCode == 0, $"RUN {instruction.Arguments}: {result.Describe()}");
                    break;
            }
        }
    }

    // COPY <source>... <destination> from the build context (the repository), without --from or --chown.
    private static void Copy(string arguments, string root, string workdir)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(words, word => word.StartsWith("--", StringComparison.Ordinal));
        var destination = words[^1].StartsWith('/') ? words[^1] : $"{workdir.TrimEnd('/')}/{words[^1]}";
        var target = InContainer(root, destination);
        foreach (var source in words[..^1].Select(s => RepoPaths.Combine(s.TrimEnd('/'))))
        {
            if (Directory.Exists(source))
            {
                CopyDirectory(source, target);
            }
            else
            {
                Directory.CreateDirectory(target);
                File.Copy(source, Path.Combine(target, Path.GetFileName(source)));
            }
        }
    }

    // Leaves out bin/ and obj/ as .dockerignore does.
    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var directory in Directory.GetDirectories(source).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }

    // An absolute container path maps under the temp root; anything else is passed through.
    private static string InContainer(string root, string word) =>
        word.StartsWith('/') ? Path.Combine(root, word.TrimStart('/')) : word;

    // The option names (without values) of the manager container's args in config/manager/manager.yaml.
    private static IEnumerable<string> DeploymentFlags() =>
        DeploymentArgs().Where(arg => arg.StartsWith('-')).Select(arg => arg.Split('=')[0]);

    private static IEnumerable<string> DeploymentArgs()
    {
        var deployment = YamlNodes.Find(YamlNodes.LoadFile(RepoPaths.Combine("config", "manager", "manager.yaml")), "Deployment", "apikey-operator");
        var manager = deployment.Map("spec")!.Map("template")!.Map("spec")!.Maps("containers").Single(c => c.Str("name") == "manager");
        return manager.Strings("args");
    }

    private static string Last(DockerStage stage, string keyword) =>
        stage.Instructions.Last(i => i.Keyword == keyword).Arguments;

    private static bool OperatorSourceMentions(string text) =>
        Directory.EnumerateFiles(RepoPaths.Combine("src", "ApiKeyOperator"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Any(path => File.ReadAllText(path).Contains(text, StringComparison.Ordinal));
}
