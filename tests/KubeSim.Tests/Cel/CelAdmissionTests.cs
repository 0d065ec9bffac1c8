using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Cel;

/// <summary>CEL rules through the HTTP write path: 422 Invalid bodies, transition rules on update, bad rules refused with the CRD.</summary>
public sealed class CelAdmissionTests : SimTestBase
{
    private const string Group = "cel.example.com";

    [Fact]
    public async Task An_update_breaking_a_transition_rule_is_422_naming_the_field()
    {
        await InstallAsync();
        var ns = await NewNamespaceAsync("apps");
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget("g1", "blue", 2), Group, "v1", ns, "gadgets", cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"color":"red"}}""", V1Patch.PatchType.MergePatch), Group, "v1", ns, "gadgets", "g1", cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Gadget.cel.example.com \"g1\" is invalid: spec.color: Invalid value: \"string\": color is immutable", status.Message);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal(("FieldValueInvalid", "spec.color"), (cause.Reason, cause.Field));
        var stored = await Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v1", ns, "gadgets", "g1", cancellationToken: Ct);
        Assert.Equal("blue", JsonNode.Parse(KubernetesJson.Serialize(stored))!["spec"]!["color"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cross_field_rule_is_checked_on_create_and_a_runtime_error_is_a_422_not_a_500()
    {
        await InstallAsync();
        var ns = await NewNamespaceAsync("apps");

        var (code, status) = await FailureOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget("g2", "blue", 9), Group, "v1", ns, "gadgets", cancellationToken: Ct));
        Assert.Equal(422, code);
        Assert.Equal("Gadget.cel.example.com \"g2\" is invalid: spec: Invalid value: \"object\": replicas may not exceed maxReplicas (5)", status.Message);

        var (divCode, divStatus) = await FailureOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget("g3", "blue", 0), Group, "v1", ns, "gadgets", cancellationToken: Ct));
        Assert.Equal(422, divCode);
        Assert.Contains("division by zero evaluating rule: 10 / self.replicas >= 1", divStatus.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crd_with_a_rule_that_does_not_compile_is_refused()
    {
        var crd = Crd();
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self.replicas >" });
        using var http = new HttpClient { BaseAddress = Sim.Url };

        using var response = await http.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", new StringContent(crd.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule", body["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Null(Sim.Store.Registry.FindAnyVersion(Group, "gadgets"));
    }

    private async Task InstallAsync()
    {
        using var http = new HttpClient { BaseAddress = Sim.Url };
        using var response = await http.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", new StringContent(Crd().ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(201, (int)response.StatusCode);
    }

    private static Dictionary<string, object> Gadget(string name, string color, int replicas) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = "Gadget",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name },
        ["spec"] = new Dictionary<string, object> { ["color"] = color, ["replicas"] = replicas, ["maxReplicas"] = 5 },
    };

    private static JsonObject Crd() => JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"gadgets.GROUP"},
         "spec":{"group":"GROUP","scope":"Namespaced","names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object",
              "x-kubernetes-validations":[
                {"rule":"self.replicas <= self.maxReplicas","messageExpression":"'replicas may not exceed maxReplicas (' + string(self.maxReplicas) + ')'"},
                {"rule":"10 / self.replicas >= 1"}],
              "properties":{
                "color":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"color is immutable"}]},
                "replicas":{"type":"integer"},
                "maxReplicas":{"type":"integer"}}}}}}}]}}
        """.Replace("GROUP", Group, StringComparison.Ordinal))!.AsObject();
}
