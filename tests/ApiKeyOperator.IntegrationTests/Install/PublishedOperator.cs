using ApiKeyOperator.Tests.Install;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// The operator as the image ships it: the Dockerfile's build-stage `RUN dotnet …` steps (restore, then publish to
/// /app) run once per test class, with /app mapped to a temporary directory. They run in the repository root, which
/// holds what the Dockerfile's COPY steps put under its WORKDIR at the same relative paths.
/// </summary>
public sealed class PublishedOperator : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    // No build servers or reused MSBuild nodes: they would outlive the step and hold its output pipes open.
    private static readonly Dictionary<string, string> QuietDotnet = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["UseSharedCompilation"] = "false",
    };

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("apikey-operator-published-");

    /// <summary>The published entry assembly (the image's ENTRYPOINT runs `dotnet /app/apikey-operator.dll`).</summary>
    public string EntryAssembly => Path.Combine(_root.FullName, "app", "apikey-operator.dll");

    public async ValueTask InitializeAsync()
    {
        var build = DockerfileParser.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("Dockerfile"), TestContext.Current.CancellationToken))[0];
        var steps = build.Instructions.Where(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet ", StringComparison.Ordinal)).ToList();
        Assert.Contains(steps, s => s.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal));
        foreach (var step in steps)
        {
            var words = step.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var result = await ProcessRunner.RunAsync(
                "dotnet",
                words.Skip(1).Select(word => word.StartsWith('/') ? Path.Combine(_root.FullName, word.TrimStart('/')) : word),
                RepoPaths.Root,
                StepTimeout,
                TestContext.Current.CancellationToken,
                QuietDotnet);
            Assert.True(result.ExitCode == 0, $"RUN {step.Arguments}: {result.Describe()}");
        }

        Assert.True(File.Exists(EntryAssembly), $"the Dockerfile's publish step produced no {EntryAssembly}");
    }

    public ValueTask DisposeAsync()
    {
        _root.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
