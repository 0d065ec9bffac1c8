namespace ApiKeyOperator.Tests.Install;

/// <summary>Locates files of the repository the tests were built from.</summary>
public static class RepoPaths
{
    /// <summary>The directory holding ApiKeyOperator.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] relative) => Path.Combine([Root, .. relative]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApiKeyOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ApiKeyOperator.sln not found above {AppContext.BaseDirectory}");
    }
}
