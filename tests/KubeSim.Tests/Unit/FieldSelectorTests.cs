using System.Text.Json.Nodes;
using KubeSim.Selectors;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class FieldSelectorTests
{
    private static readonly JsonObject Pod = JsonNode.Parse("""
        {"metadata":{"name":"web-0","namespace":"team-a"},"spec":{"nodeName":"kubesim-node-0","priority":5},"status":{"phase":"Running"},"type":"a=b,c"}
        """)!.AsObject();

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=web-0", true)]
    [InlineData("metadata.name==web-0", true)]
    [InlineData("metadata.name=web-1", false)]
    [InlineData("metadata.name!=web-1", true)]
    [InlineData("metadata.name!=web-0", false)]
    [InlineData("metadata.namespace=team-a", true)]
    [InlineData("metadata.namespace=team-a,metadata.name=web-0", true)]
    [InlineData("metadata.namespace=team-a,metadata.name=other", false)]
    [InlineData("status.phase=Running", true)]
    [InlineData("spec.nodeName=kubesim-node-0", true)]
    [InlineData("spec.priority=5", true)]
    [InlineData("spec.missing=", true)]
    [InlineData("spec.missing!=x", true)]
    [InlineData("spec.missing=x", false)]
    [InlineData(@"type=a\=b\,c", true)]
    [InlineData(" metadata.name = web-0 ", true)]
    public void Matches(string selector, bool expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(Pod));
    }

    [Theory]
    [InlineData("metadata.name")]
    [InlineData("=web-0")]
    [InlineData("metadata.name=a=b")]
    [InlineData(@"metadata.name=a\x")]
    [InlineData("metadata.name=x,")]
    public void RejectsBadSyntax(string selector)
    {
        Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(selector));
    }

    [Fact]
    public void ExposesRequirements()
    {
        var selector = FieldSelector.Parse("metadata.name!=a,metadata.namespace=b");

        Assert.Equal(new FieldRequirement("metadata.name", SelectorOperator.NotEquals, "a"), selector.Requirements[0]);
        Assert.Equal("metadata.name!=a,metadata.namespace=b", selector.ToString());
        Assert.True(FieldSelector.Parse(null).IsEmpty);
    }
}
