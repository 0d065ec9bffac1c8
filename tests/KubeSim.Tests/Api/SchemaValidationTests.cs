using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

public sealed class SchemaValidationTests : SimTestBase
{
    private static JsonObject Node(object result) => JsonSerializer.SerializeToNode(result)!.AsObject();

    private static JsonObject Widget(JsonObject spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w" },
        ["spec"] = spec,
    };

    private async Task<string> SetUpAsync()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(TestCrds.Widget(), cancellationToken: Ct);
        return await NewNamespaceAsync();
    }

    [Fact]
    public async Task Defaults_are_applied_and_unknown_fields_pruned()
    {
        var ns = await SetUpAsync();

        var created = Node(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Widget(new JsonObject { ["size"] = 2, ["bogus"] = true }), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));

        Assert.Equal("red", created["spec"]!["color"]!.GetValue<string>());
        Assert.False(created["spec"]!.AsObject().ContainsKey("bogus"));
    }

    [Fact]
    public async Task Strict_field_validation_rejects_unknown_fields_with_400_naming_them()
    {
        var ns = await SetUpAsync();

        var (code, status) = await FailureOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Widget(new JsonObject { ["size"] = 2, ["bogus"] = true }), TestCrds.Group, "v1", ns, TestCrds.Plural, fieldValidation: "Strict", cancellationToken: Ct));

        Assert.Equal(400, code);
        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal("strict decoding error: unknown field \"spec.bogus\"", status.Message);
    }

    [Fact]
    public async Task Violations_are_422_Invalid_with_a_cause_per_field()
    {
        var ns = await SetUpAsync();

        var (code, status) = await FailureOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Widget(new JsonObject { ["size"] = 11, ["color"] = "green" }), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Widget", status.Details.Kind);
        Assert.Equal("example.com", status.Details.Group);
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.size" && c.Reason == "FieldValueInvalid");
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.color" && c.Reason == "FieldValueNotSupported" && c.Message.Contains("supported values: \"red\", \"blue\"", StringComparison.Ordinal));
        Assert.StartsWith("Widget.example.com \"w\" is invalid: ", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_fields_are_enforced()
    {
        var ns = await SetUpAsync();

        var (code, status) = await FailureOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Widget(new JsonObject { ["color"] = "blue" }), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.size" && c.Reason == "FieldValueRequired");
    }

    [Fact]
    public async Task Patches_are_validated_against_the_schema_too()
    {
        var ns = await SetUpAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(new JsonObject { ["size"] = 2 }), TestCrds.Group, "v1", ns, TestCrds.Plural, cancellationToken: Ct);

        var (code, status) = await FailureOf(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":0}}""", V1Patch.PatchType.MergePatch), TestCrds.Group, "v1", ns, TestCrds.Plural, "w", cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.size");
        var unchanged = Node(await Client.CustomObjects.GetNamespacedCustomObjectAsync(TestCrds.Group, "v1", ns, TestCrds.Plural, "w", cancellationToken: Ct));
        Assert.Equal(2, unchanged["spec"]!["size"]!.GetValue<int>());
    }
}
