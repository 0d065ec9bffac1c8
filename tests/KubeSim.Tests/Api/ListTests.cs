using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class ListTests : SimTestBase
{
    private static Dictionary<string, string> Labels(string app, string tier) => new() { ["app"] = app, ["tier"] = tier };

    [Fact]
    public async Task Label_selectors_support_equality_sets_and_existence()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a", Labels("web", "front")), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("b", Labels("web", "back")), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("c", Labels("db", "back")), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("d"), ns, cancellationToken: Ct);

        async Task<string[]> Names(string selector) =>
            [.. (await Client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: selector, cancellationToken: Ct)).Items.Select(s => s.Metadata.Name)];

        Assert.Equal(["a", "b"], await Names("app=web"));
        Assert.Equal(["a", "b"], await Names("app==web"));
        Assert.Equal(["c", "d"], await Names("app!=web"));
        Assert.Equal(["b", "c"], await Names("tier in (back)"));
        Assert.Equal(["a", "d"], await Names("tier notin (back)"));
        Assert.Equal(["a", "b", "c"], await Names("app"));
        Assert.Equal(["d"], await Names("!app"));
        Assert.Equal(["b"], await Names("app=web,tier=back"));
    }

    [Fact]
    public async Task A_malformed_label_selector_is_BadRequest()
    {
        var ns = await NewNamespaceAsync();

        var (code, status) = await FailureOf(() => Client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: "app in (", cancellationToken: Ct));

        Assert.Equal(400, code);
        Assert.Equal("BadRequest", status.Reason);
    }

    [Fact]
    public async Task Field_selectors_match_name_and_namespace()
    {
        var one = await NewNamespaceAsync("one");
        var two = await NewNamespaceAsync("two");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("x"), one, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("y"), one, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("x"), two, cancellationToken: Ct);

        var byName = await Client.CoreV1.ListSecretForAllNamespacesAsync(fieldSelector: "metadata.name=x", cancellationToken: Ct);
        var notOne = await Client.CoreV1.ListSecretForAllNamespacesAsync(fieldSelector: "metadata.namespace!=one", cancellationToken: Ct);

        Assert.Equal(["one/x", "two/x"], byName.Items.Select(s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}"));
        Assert.Equal(["two/x"], notOne.Items.Select(s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}"));
    }

    [Fact]
    public async Task Lists_carry_kind_api_version_and_resource_version()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);

        var list = await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct);

        Assert.Equal("SecretList", list.Kind);
        Assert.Equal("v1", list.ApiVersion);
        Assert.True(long.Parse(list.Metadata.ResourceVersion) >= long.Parse(created.Metadata.ResourceVersion));
        Assert.All(list.Items, s => Assert.Equal("Secret", s.Kind));
    }

    [Fact]
    public async Task Limit_and_continue_page_through_everything_once()
    {
        var ns = await NewNamespaceAsync();
        for (var i = 0; i < 7; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"c{i}" } }, ns, cancellationToken: Ct);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 3, continueParameter: token, cancellationToken: Ct);
            seen.AddRange(page.Items.Select(c => c.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
            if (token is not null)
            {
                Assert.Equal(3, page.Items.Count);
                Assert.NotNull(page.Metadata.RemainingItemCount);
            }
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"c{i}"), seen);
    }

    [Fact]
    public async Task All_namespaces_list_spans_namespaces()
    {
        var one = await NewNamespaceAsync("one");
        var two = await NewNamespaceAsync("two");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, one, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, two, cancellationToken: Ct);

        var all = await Client.CoreV1.ListConfigMapForAllNamespacesAsync(cancellationToken: Ct);

        Assert.Equal(["one/a", "two/b"], all.Items.Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}"));
    }

    [Fact]
    public async Task List_with_a_resource_version_returns_current_state()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);

        var list = await Client.CoreV1.ListNamespacedSecretAsync(ns, resourceVersion: "0", cancellationToken: Ct);

        Assert.Single(list.Items);
    }
}
