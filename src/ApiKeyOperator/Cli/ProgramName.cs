namespace ApiKeyOperator.Cli;

/// <summary>
/// How the user invoked the program, for hints: <c>kubectl apikey</c> when kubectl started it as the plugin
/// <c>kubectl-apikey</c>, else <c>apikey-operator</c>.
/// </summary>
public static class ProgramName
{
    public const string Default = "apikey-operator";

    /// <summary>The name for <paramref name="argv0"/> (the path the process was started with).</summary>
    public static string Of(string? argv0)
    {
        var file = Path.GetFileName(argv0 ?? string.Empty);
        return file.StartsWith("kubectl-", StringComparison.Ordinal) && file.Length > "kubectl-".Length
            ? $"kubectl {file["kubectl-".Length..].Replace('_', '-')}"
            : Default;
    }

    /// <summary>
    /// The current process's name. .NET reports the entry assembly and a resolved symlink, not the plugin link kubectl
    /// ran, so the first word of <c>/proc/self/cmdline</c> is read where it exists.
    /// </summary>
    public static string Current()
    {
        try
        {
            var cmdline = File.Exists("/proc/self/cmdline") ? File.ReadAllText("/proc/self/cmdline") : null;
            return Of(cmdline?.Split('\0')[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Default;
        }
    }
}
