using System.Text.Json.Nodes;
using KubeSim.Patching;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class JsonPatchTests
{
    private static JsonNode? Apply(string target, string operations) =>
        JsonPatch.Apply(JsonNode.Parse(target), (JsonArray)JsonNode.Parse(operations)!);

    [Theory]
    // RFC 6902 appendix A examples and the cases kubectl patch --type=json sends.
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":"end"}]""", """{"foo":["bar","end"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"a":{"b":1}}""", """[{"op":"copy","from":"/a","path":"/c"}]""", """{"a":{"b":1},"c":{"b":1}}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"replace","path":"/~1","value":1},{"op":"replace","path":"/~01","value":2}]""", """{"/":1,"~1":2}""")]
    [InlineData("""{"metadata":{"labels":{"app.kubernetes.io/name":"x"}}}""", """[{"op":"remove","path":"/metadata/labels/app.kubernetes.io~1name"}]""", """{"metadata":{"labels":{}}}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":{"b":2}}]""", """{"b":2}""")]
    [InlineData("""{"a":1}""", """[]""", """{"a":1}""")]
    [InlineData("""{"a":1.0,"b":{"x":[1,"y"]}}""", """[{"op":"test","path":"/a","value":1},{"op":"test","path":"/b","value":{"x":[1,"y"]}}]""", """{"a":1.0,"b":{"x":[1,"y"]}}""")]
    public void AppliesOperations(string target, string operations, string expected)
    {
        var result = Apply(target, operations);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }

    [Theory]
    [InlineData("""{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"remove","path":"/missing"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"replace","path":"/missing","value":1}]""")]
    [InlineData("""{"foo":[1]}""", """[{"op":"add","path":"/foo/5","value":1}]""")]
    [InlineData("""{"foo":[1]}""", """[{"op":"remove","path":"/foo/-"}]""")]
    [InlineData("""{"foo":[1,2]}""", """[{"op":"remove","path":"/foo/01"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"frobnicate","path":"/foo"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"path":"/foo"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/x"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"x","value":1}]""")]
    [InlineData("""{"a":{"b":{}}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""")]
    [InlineData("""{"a":1}""", """["not an object"]""")]
    public void RejectsInvalidOperations(string target, string operations)
    {
        Assert.Throws<PatchException>(() => Apply(target, operations));
    }

    [Fact]
    public void FailedOperationLeavesTargetUntouched()
    {
        var target = JsonNode.Parse("""{"a":1}""");
        var operations = (JsonArray)JsonNode.Parse("""[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":2}]""")!;

        Assert.Throws<PatchException>(() => JsonPatch.Apply(target, operations));
        Assert.Equal("""{"a":1}""", target!.ToJsonString());
    }
}
