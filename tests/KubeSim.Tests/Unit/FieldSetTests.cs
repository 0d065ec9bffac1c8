using System.Text.Json.Nodes;
using KubeSim.ManagedFields;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class FieldSetTests
{
    private const string Deployment = """
        {"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"main\"}":{".":{},"f:image":{},"f:name":{}}}}}}}
        """;

    [Fact]
    public void FieldsV1_round_trips_with_dot_for_members_that_have_children()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(Deployment));

        Assert.Equal(JsonNode.Parse(Deployment)!.ToJsonString(), set.ToFieldsV1().ToJsonString());
        Assert.True(set.Contains(["f:metadata", "f:labels"]));
        Assert.False(set.Contains(["f:spec"]));
        Assert.True(set.ContainsPrefix(["f:spec", "f:template"]));
    }

    [Fact]
    public void Set_algebra_keeps_members_and_drops_empty_nodes()
    {
        var a = FieldSet.Of([["f:data", "f:x"], ["f:data", "f:y"]]);
        var b = FieldSet.Of([["f:data", "f:y"], ["f:data", "f:z"]]);

        Assert.Equal("""{"f:data":{"f:x":{}}}""", a.Difference(b).ToFieldsV1().ToJsonString());
        Assert.Equal("""{"f:data":{"f:y":{}}}""", a.Intersect(b).ToFieldsV1().ToJsonString());
        Assert.Equal(3, a.Union(b).Paths().Count());
        Assert.True(a.Difference(a).IsEmpty);
    }

    [Theory]
    [InlineData("""{"x:bad":{}}""")]
    [InlineData("""{"f:a":1}""")]
    [InlineData("""[]""")]
    public void Malformed_fields_v1_is_a_format_error(string json)
    {
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1(JsonNode.Parse(json)));
    }

    [Fact]
    public void Paths_display_as_the_api_server_prints_them_in_conflicts()
    {
        Assert.Equal(".spec.template.spec.containers[name=\"main\"].ports[containerPort=80,protocol=\"TCP\"]",
            PathElements.Display(["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"main\"}", "f:ports", "k:{\"containerPort\":80,\"protocol\":\"TCP\"}"]));
        Assert.Equal(".metadata.finalizers[=\"a\"]", PathElements.Display(["f:metadata", "f:finalizers", "v:\"a\""]));
    }
}
