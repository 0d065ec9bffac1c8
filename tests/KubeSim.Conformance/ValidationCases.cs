using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Conformance;

/// <summary>Validation of custom resources: OpenAPI schema, strict field validation, CEL rules and admission webhooks.</summary>
public sealed class ValidationCases(ConformanceCluster cluster) : ConformanceCase(cluster)
{
    [Fact]
    public async Task Schema_violations_are_422_with_a_cause_per_field_and_strict_validation_rejects_unknown_fields()
    {
        var (group, plural) = await CrdAsync("widgets", "Widget");
        var path = $"/apis/{group}/v1/namespaces/{Ns}/{plural}";

        var invalid = await Post(path, Template.Fill("""{"apiVersion":"@0/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":50}}""", group));
        var unknown = await Post(path + "?fieldValidation=Strict", Template.Fill("""{"apiVersion":"@0/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1,"colour":"red"}}""", group));
        var pruned = await Post(path, Template.Fill("""{"apiVersion":"@0/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1,"colour":"red"}}""", group));

        Assert.Equal(422, invalid.Code);
        Assert.Equal("spec.size", invalid.Body["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(400, unknown.Code);
        Assert.Contains("unknown field \"spec.colour\"", unknown.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(201, pruned.Code);
        Assert.Null(pruned.Body["spec"]!["colour"]);
    }

    [Fact]
    public async Task A_cel_transition_rule_rejects_an_update_that_breaks_it()
    {
        var (group, plural) = await CrdAsync("locks", "Lock", ""","x-kubernetes-validations":[{"rule":"self.mode == oldSelf.mode","message":"mode is immutable"}]""");
        var path = $"/apis/{group}/v1/namespaces/{Ns}/{plural}";
        await Post(path, Template.Fill("""{"apiVersion":"@0/v1","kind":"Lock","metadata":{"name":"l"},"spec":{"size":1,"mode":"a"}}""", group));

        var changed = await Patch($"{path}/l", """{"spec":{"mode":"b"}}""", "application/merge-patch+json");

        Assert.Equal(422, changed.Code);
        Assert.Contains("mode is immutable", changed.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_level_self_equals_oldSelf_rule_lets_the_field_be_set_once_and_then_never_changed()
    {
        var (group, plural) = await CrdAsync("seals", "Seal", extraModeSchema: ""","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"mode is immutable"}]""");
        var path = $"/apis/{group}/v1/namespaces/{Ns}/{plural}";
        var created = await Post(path, Template.Fill("""{"apiVersion":"@0/v1","kind":"Seal","metadata":{"name":"s"},"spec":{"size":1}}""", group));

        // No old value: a transition rule does not run, so the field can be set the first time.
        var set = await Patch($"{path}/s", """{"spec":{"mode":"a"}}""", "application/merge-patch+json");
        var changed = await Patch($"{path}/s", """{"spec":{"mode":"b"}}""", "application/merge-patch+json");
        var unrelated = await Patch($"{path}/s", """{"spec":{"size":2}}""", "application/merge-patch+json");

        Assert.Equal(201, created.Code);
        Assert.Equal(200, set.Code);
        Assert.Equal(422, changed.Code);
        Assert.Equal("Invalid", changed.Body["reason"]!.GetValue<string>());
        var cause = changed.Body["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("spec.mode", cause["field"]!.GetValue<string>());
        Assert.Equal("Invalid value: \"string\": mode is immutable", cause["message"]!.GetValue<string>());
        Assert.EndsWith("spec.mode: Invalid value: \"string\": mode is immutable", changed.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, unrelated.Code);
        Assert.Equal("a", unrelated.Body["spec"]!["mode"]!.GetValue<string>());
    }

    private async Task<(string Group, string Plural)> CrdAsync(string plural, string kind, string extraSpecSchema = "", string extraModeSchema = "")
    {
        var group = $"{Ns}.example.com";
        var created = await Post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Workloads.Crd(group, plural, kind, extraSpecSchema, extraModeSchema));
        Assert.Equal(201, created.Code);
        Crds.Add($"{plural}.{group}");
        await Eventually(async () =>
        {
            var crd = (await Get($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{plural}.{group}")).Body;
            return (crd["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True") ? crd : null;
        });
        return (group, plural);
    }
}
