using System.Reflection;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// The release this binary is, from the repository's VERSION file (through Directory.Build.props): the image tag and
/// <c>apikey-operator --version</c> are <see cref="Tag"/>.
/// </summary>
public static class OperatorVersion
{
    /// <summary>The semantic version, e.g. <c>0.1.0</c>.</summary>
    public static string Version { get; } = Read();

    /// <summary>The git tag and image tag, e.g. <c>v0.1.0</c>.</summary>
    public static string Tag => $"v{Version}";

    private static string Read()
    {
        var informational = typeof(OperatorVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
