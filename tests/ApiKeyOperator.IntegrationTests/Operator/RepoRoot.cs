namespace ApiKeyOperator.IntegrationTests.Operator;

/// <summary>The repository checkout the tests run from (the directory holding ApiKeyOperator.sln).</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ApiKeyOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ApiKeyOperator.sln not found above " + AppContext.BaseDirectory);
    }
}
