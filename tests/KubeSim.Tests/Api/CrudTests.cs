using System.Text;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class CrudTests : SimTestBase
{
    [Fact]
    public async Task Create_sets_uid_timestamp_generation_and_a_numeric_resource_version_and_folds_stringData()
    {
        var ns = await NewNamespaceAsync();

        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s1", data: new Dictionary<string, string> { ["token"] = "abc" }), ns, cancellationToken: Ct);

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.True(long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("abc", Encoding.UTF8.GetString(created.Data["token"]));
        Assert.Null(created.StringData);
        Assert.Equal("Opaque", created.Type);
        Assert.Equal("Secret", created.Kind);
        Assert.Equal("v1", created.ApiVersion);

        var read = await Client.CoreV1.ReadNamespacedSecretAsync("s1", ns, cancellationToken: Ct);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Resource_versions_increase_across_resources()
    {
        var ns = await NewNamespaceAsync();
        var a = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);
        var b = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, ns, cancellationToken: Ct);
        var c = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("c"), ns, cancellationToken: Ct);

        var versions = new[] { a.Metadata.ResourceVersion, b.Metadata.ResourceVersion, c.Metadata.ResourceVersion }.Select(long.Parse).ToArray();
        Assert.True(versions[0] < versions[1] && versions[1] < versions[2], string.Join(",", versions));
    }

    [Fact]
    public async Task Create_of_an_existing_name_is_AlreadyExists()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("dup"), ns, cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("dup"), ns, cancellationToken: Ct));

        Assert.Equal(409, code);
        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("Status", status.Kind);
        Assert.Equal("Failure", status.Status);
        Assert.Equal("secrets \"dup\" already exists", status.Message);
        Assert.Equal("dup", status.Details.Name);
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_NotFound_as_Status()
    {
        var ns = await NewNamespaceAsync();

        var (code, status) = await FailureOf(() => Client.CoreV1.ReadNamespacedSecretAsync("missing", ns, cancellationToken: Ct));

        Assert.Equal(404, code);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("secrets \"missing\" not found", status.Message);
        Assert.Equal("secrets", status.Details.Kind);
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_Conflict()
    {
        var ns = await NewNamespaceAsync();
        var first = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);
        first.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };
        await Client.CoreV1.ReplaceNamespacedSecretAsync(first, "s", ns, cancellationToken: Ct);

        first.Metadata.Labels["a"] = "2";
        var (code, status) = await FailureOf(() => Client.CoreV1.ReplaceNamespacedSecretAsync(first, "s", ns, cancellationToken: Ct));

        Assert.Equal(409, code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Contains("the object has been modified", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_without_a_resource_version_is_unconditional()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);

        var replaced = await Client.CoreV1.ReplaceNamespacedSecretAsync(Secret("s", data: new Dictionary<string, string> { ["k"] = "new" }), "s", ns, cancellationToken: Ct);

        Assert.Equal("new", Encoding.UTF8.GetString(replaced.Data["k"]));
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);
        Assert.True(long.Parse(replaced.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Update_of_a_missing_object_is_NotFound_but_leases_are_created()
    {
        var ns = await NewNamespaceAsync();

        var (code, _) = await FailureOf(() => Client.CoreV1.ReplaceNamespacedSecretAsync(Secret("ghost"), "ghost", ns, cancellationToken: Ct));
        var lease = await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "leader" }, Spec = new V1LeaseSpec { HolderIdentity = "me" } }, "leader", ns, cancellationToken: Ct);

        Assert.Equal(404, code);
        Assert.Equal("me", lease.Spec.HolderIdentity);
    }

    [Fact]
    public async Task GenerateName_produces_a_unique_name_with_the_prefix()
    {
        var ns = await NewNamespaceAsync();
        var template = new V1Secret { Metadata = new V1ObjectMeta { GenerateName = "key-" } };

        var a = await Client.CoreV1.CreateNamespacedSecretAsync(template, ns, cancellationToken: Ct);
        var b = await Client.CoreV1.CreateNamespacedSecretAsync(template, ns, cancellationToken: Ct);

        Assert.StartsWith("key-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(9, a.Metadata.Name.Length);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Invalid_name_is_Invalid_with_causes()
    {
        var ns = await NewNamespaceAsync();

        var (code, status) = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("Bad_Name"), ns, cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("metadata.name", cause.Field);
        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.StartsWith("Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Namespaced_objects_need_their_namespace()
    {
        var (code, status) = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), "nowhere", cancellationToken: Ct));

        Assert.Equal(404, code);
        Assert.Equal("namespaces \"nowhere\" not found", status.Message);
    }

    [Fact]
    public async Task Default_and_kube_system_namespaces_exist_from_the_start()
    {
        var list = await Client.CoreV1.ListNamespaceAsync(cancellationToken: Ct);

        Assert.Contains(list.Items, n => n.Metadata.Name == "default" && n.Status.Phase == "Active");
        Assert.Contains(list.Items, n => n.Metadata.Name == "kube-system");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), "default", cancellationToken: Ct);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_contents()
    {
        var ns = await NewNamespaceAsync("doomed");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: Ct);

        // The namespace controller empties and removes the namespace asynchronously, as in Kubernetes.
        await Poll.UntilAsync(() => Sim.Store.Get(new ResourceId("", "v1", "namespaces"), null, ns) is null, ct: Ct);
        var (code, _) = await FailureOf(() => Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: Ct));
        Assert.Equal(404, code);
        Assert.Empty(Sim.Store.List(new ResourceId("", "v1", "secrets"), ns));
        Assert.Empty(Sim.Store.List(new ResourceId("", "v1", "configmaps"), ns));
    }

    [Fact]
    public async Task Delete_returns_success_and_the_object_is_gone()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);

        var status = await Client.CoreV1.DeleteNamespacedSecretAsync("s", ns, cancellationToken: Ct);

        Assert.Equal("Success", status.Status);
        Assert.Equal(created.Metadata.Uid, status.Details.Uid);
        var (code, _) = await FailureOf(() => Client.CoreV1.ReadNamespacedSecretAsync("s", ns, cancellationToken: Ct));
        Assert.Equal(404, code);
        var (again, notFound) = await FailureOf(() => Client.CoreV1.DeleteNamespacedSecretAsync("s", ns, cancellationToken: Ct));
        Assert.Equal(404, again);
        Assert.Equal("NotFound", notFound.Reason);
    }

    [Fact]
    public async Task Delete_with_a_failed_uid_precondition_is_Conflict()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("s"), ns, cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CoreV1.DeleteNamespacedSecretAsync("s", ns,
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }, cancellationToken: Ct));

        Assert.Equal(409, code);
        Assert.Contains("Precondition failed", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deletecollection_deletes_only_the_selected_objects()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a", new Dictionary<string, string> { ["tier"] = "x" }), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("b", new Dictionary<string, string> { ["tier"] = "y" }), ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteCollectionNamespacedSecretAsync(ns, labelSelector: "tier=x", cancellationToken: Ct);

        var left = await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct);
        Assert.Equal(["b"], left.Items.Select(s => s.Metadata.Name));
    }

    [Fact]
    public async Task Events_can_be_recorded_through_both_event_apis()
    {
        var ns = await NewNamespaceAsync();
        var now = DateTime.UtcNow;

        var modern = await Client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "apikey-" },
            EventTime = now,
            Reason = "Issued",
            Note = "key 3f9a1c2e issued",
            Type = "Normal",
            Action = "Issue",
            ReportingController = "apikeyoperator.io/operator",
            ReportingInstance = "operator-0",
            Regarding = new V1ObjectReference { Kind = "ApiKey", Name = "billing", NamespaceProperty = ns },
        }, ns, cancellationToken: Ct);
        var legacy = await Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "apikey-" },
            Reason = "Issued",
            Message = "key issued",
            Type = "Normal",
            InvolvedObject = new V1ObjectReference { Kind = "ApiKey", Name = "billing", NamespaceProperty = ns },
        }, ns, cancellationToken: Ct);

        Assert.Equal("events.k8s.io/v1", modern.ApiVersion);
        Assert.Equal("Issued", modern.Reason);
        Assert.NotNull(modern.EventTime);
        var listed = await Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=billing", cancellationToken: Ct);
        Assert.Equal([legacy.Metadata.Name], listed.Items.Select(e => e.Metadata.Name));
    }

    [Fact]
    public async Task Unknown_paths_are_404_Status()
    {
        using var http = new HttpClient { BaseAddress = Sim.Url };

        var response = await http.GetAsync(new Uri("apis/nope.example.com/v1/things", UriKind.Relative), Ct);
        var status = KubernetesJson.Deserialize<V1Status>(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("NotFound", status.Reason);
    }
}
