using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Library;

/// <summary>
/// The README's "Use KubeSim as a library" example, run as a test; a second test keeps the README's copy equal to
/// the code between the example markers below, so the published example always compiles and passes.
/// </summary>
public sealed class LibraryExampleTests
{
    [Fact]
    public async Task The_readme_example_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        // example-start
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { EnforceRbac = true }, ct);
        IKubernetes admin = sim.Client;                      // the cluster admin
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "shop" } }, cancellationToken: ct);

        // Typed faults: the next write of a Secret fails with 409 Conflict, as a lost update race would.
        sim.Faults.Inject(new FailWrites(FaultTarget.Resource("secrets"), Count: 1, HttpStatusCode.Conflict));
        var secret = new V1Secret { Metadata = new() { Name = "db" }, StringData = new Dictionary<string, string> { ["password"] = "s3cret" } };
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => admin.CoreV1.CreateNamespacedSecretAsync(secret, "shop", cancellationToken: ct));
        await admin.CoreV1.CreateNamespacedSecretAsync(secret, "shop", cancellationToken: ct);     // the retry succeeds

        // Identities: a tenant with a token of its own and no RoleBinding is refused, as on a real cluster.
        sim.Identities.Add("alice-token", "alice", ["devs"]);
        using var alice = sim.CreateClient("alice-token");
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => alice.CoreV1.ReadNamespacedSecretAsync("db", "shop", cancellationToken: ct));

        // The request log: what was asked, by whom, and what it answered.
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
        Assert.Equal(1, sim.Requests.Count("create", "secrets", "shop", statusCode: 201));
        Assert.Contains(sim.Requests.Snapshot(), r => r.User == "alice" && r.StatusCode == 403);
        // example-end
    }

    [Fact]
    public void The_readme_shows_exactly_the_tested_example()
    {
        var source = File.ReadAllLines(ThisFile());
        var start = Array.FindIndex(source, l => l.Trim() == "// example-start");
        var end = Array.FindIndex(source, l => l.Trim() == "// example-end");
        var indent = source[start].Length - source[start].TrimStart().Length;
        var example = source[(start + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart());

        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "KubeSim", "README.md")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + string.Join("\n", example) + "\n```", readme, StringComparison.Ordinal);
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
