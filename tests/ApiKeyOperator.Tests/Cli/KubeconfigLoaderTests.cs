using ApiKeyOperator.Hosting;
using Xunit;

namespace ApiKeyOperator.Tests.Cli;

/// <summary>Where the cluster comes from; never the client library's silent http://localhost:8080.</summary>
public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kubeconfig-");

    [Fact]
    public void Without_any_source_says_what_to_set()
    {
        var error = Assert.Throws<KubeconfigException>(() => Load(null, new Dictionary<string, string?> { ["HOME"] = _dir.FullName }));

        Assert.Equal("no kubeconfig: set KUBECONFIG or pass --kubeconfig", error.Message);
    }

    [Fact]
    public void A_missing_or_broken_file_is_named_with_where_it_came_from()
    {
        var missing = Path.Combine(_dir.FullName, "nope");
        var broken = Path.Combine(_dir.FullName, "broken");
        File.WriteAllText(broken, "clusters: [ {");

        Assert.Equal($"kubeconfig {missing} (from --kubeconfig): no such file", Assert.Throws<KubeconfigException>(() => Load(missing, new())).Message);
        Assert.Equal($"kubeconfig {missing} (from $KUBECONFIG): no such file", Assert.Throws<KubeconfigException>(() => Load(null, new() { ["KUBECONFIG"] = missing })).Message);
        Assert.StartsWith($"kubeconfig {broken} (from --kubeconfig): ", Assert.Throws<KubeconfigException>(() => Load(broken, new())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_are_taken_in_kubectls_order()
    {
        var flag = Write("flag", "https://flag.example:6443");
        var env = Write("env", "https://env.example:6443");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, ".kube"));
        File.Copy(Write("home", "https://home.example:6443"), Path.Combine(_dir.FullName, ".kube", "config"));
        var missing = Path.Combine(_dir.FullName, "missing");

        Assert.Equal("https://flag.example:6443", Load(flag, new() { ["KUBECONFIG"] = env, ["HOME"] = _dir.FullName }).Host.TrimEnd('/'));
        Assert.Equal("https://env.example:6443", Load(null, new() { ["KUBECONFIG"] = $"{missing}{Path.PathSeparator}{env}", ["HOME"] = _dir.FullName }).Host.TrimEnd('/'));
        Assert.Equal("https://home.example:6443", Load(null, new() { ["HOME"] = _dir.FullName }).Host.TrimEnd('/'));
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static k8s.KubernetesClientConfiguration Load(string? path, Dictionary<string, string?> environment) =>
        KubeconfigLoader.Load(path, null, name => environment.GetValueOrDefault(name), () => false);

    private string Write(string name, string server)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "{{{server}}}"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);
        return path;
    }
}
