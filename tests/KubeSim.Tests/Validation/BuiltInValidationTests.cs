using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Validation;

/// <summary>The metadata validation kube-apiserver applies to every kind, with its texts.</summary>
public sealed class BuiltInValidationTests : SimTestBase
{
    [Fact]
    public async Task A_secret_with_a_bad_label_value_is_422_with_the_api_servers_message()
    {
        var ns = await NewNamespaceAsync("shop");

        var (code, status) = await FailureOf(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("s", new Dictionary<string, string> { ["app"] = "bad value!" }), ns, cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Equal("Secret \"s\" is invalid: metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", status.Message);
        Assert.Empty((await Client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct)).Items);
    }

    [Theory]
    [InlineData("bad key", "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")]
    [InlineData("Example.com/key", "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]
    [InlineData("a/b/c", "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")]
    [InlineData("example.com/", "name part must be non-empty")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "name part must be no more than 63 characters")]
    public async Task Label_keys_are_qualified_names(string key, string problem)
    {
        var ns = await NewNamespaceAsync("shop");

        var (code, status) = await FailureOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", Labels = new Dictionary<string, string> { [key] = "v" } } }, ns, cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Contains(status.Details.Causes, c => c.Field == "metadata.labels" && c.Message == $"Invalid value: \"{key}\": {problem}");
    }

    [Fact]
    public async Task Long_label_values_annotation_keys_and_oversized_annotations_are_refused_on_update_too()
    {
        var ns = await NewNamespaceAsync("shop");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns, cancellationToken: Ct);

        var (longCode, longStatus) = await FailureOf(() => PatchLabelsAsync(ns, """{"metadata":{"labels":{"k":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}}"""));
        var (keyCode, keyStatus) = await FailureOf(() => PatchLabelsAsync(ns, """{"metadata":{"annotations":{"bad key":"v"}}}"""));
        var huge = new string('x', 256 * 1024);
        var (sizeCode, sizeStatus) = await FailureOf(() => PatchLabelsAsync(ns, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["big"] = huge } } }.ToJsonString()));

        Assert.Equal(422, longCode);
        Assert.Contains(longStatus.Details.Causes, c => c.Field == "metadata.labels" && c.Message.EndsWith(": must be no more than 63 characters", StringComparison.Ordinal));
        Assert.Equal(422, keyCode);
        Assert.Contains(keyStatus.Details.Causes, c => c.Field == "metadata.annotations" && c.Message.StartsWith("Invalid value: \"bad key\": name part must consist", StringComparison.Ordinal));
        Assert.Equal(422, sizeCode);
        Assert.Contains(sizeStatus.Details.Causes, c => c.Field == "metadata.annotations" && c.Reason == "FieldValueTooLong" && c.Message == "Too long: may not be more than 262144 bytes");
        Assert.Null((await Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns, cancellationToken: Ct)).Metadata.Labels);
    }

    [Fact]
    public async Task Names_follow_each_kinds_rule()
    {
        var ns = await NewNamespaceAsync("shop");

        var (serviceCode, serviceStatus) = await FailureOf(() => Client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = "1web" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } }, ns, cancellationToken: Ct));
        var (longCode, _) = await FailureOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = new string('a', 254) } }, ns, cancellationToken: Ct));
        var (prefixCode, prefixStatus) = await FailureOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "Bad_" } }, ns, cancellationToken: Ct));
        var role = await Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "system:aggregate-to-view" } }, cancellationToken: Ct);

        Assert.Equal(422, serviceCode);
        Assert.Contains("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character", serviceStatus.Message, StringComparison.Ordinal);
        Assert.Equal(422, longCode);
        Assert.Equal(422, prefixCode);
        Assert.Contains(prefixStatus.Details.Causes, c => c.Field == "metadata.generateName" && c.Message.StartsWith("Invalid value: \"Bad_\": a lowercase RFC 1123 subdomain", StringComparison.Ordinal));
        Assert.Equal("system:aggregate-to-view", role.Metadata.Name);
    }

    private Task PatchLabelsAsync(string ns, string patch) =>
        Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "c", ns, cancellationToken: Ct);
}
