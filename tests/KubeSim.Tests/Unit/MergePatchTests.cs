using System.Text.Json.Nodes;
using KubeSim.Patching;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class MergePatchTests
{
    // The examples of RFC 7386 appendix A.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void AppliesRfc7386Examples(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }

    [Fact]
    public void NullPatchReplacesDocumentWithNull()
    {
        Assert.Null(MergePatch.Apply(JsonNode.Parse("""{"a":1}"""), null));
    }

    [Fact]
    public void DoesNotModifyTargetOrPatch()
    {
        var target = JsonNode.Parse("""{"metadata":{"labels":{"a":"1"}}}""")!;
        var patch = JsonNode.Parse("""{"metadata":{"labels":{"b":"2"}}}""")!;

        var result = MergePatch.Apply(target, patch);

        Assert.Equal("""{"metadata":{"labels":{"a":"1"}}}""", target.ToJsonString());
        Assert.Equal("""{"metadata":{"labels":{"b":"2"}}}""", patch.ToJsonString());
        Assert.Equal("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", result!.ToJsonString());
    }

    [Fact]
    public void MissingTargetIsTreatedAsEmptyObject()
    {
        var result = MergePatch.Apply(null, JsonNode.Parse("""{"spec":{"x":1,"y":null}}"""));

        Assert.Equal("""{"spec":{"x":1}}""", result!.ToJsonString());
    }
}
