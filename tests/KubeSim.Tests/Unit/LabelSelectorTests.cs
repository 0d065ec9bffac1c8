using KubeSim.Selectors;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["app"] = "web",
        ["tier"] = "front",
        ["app.kubernetes.io/managed-by"] = "apikey-operator",
        ["version"] = "3",
        ["empty"] = "",
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app = web", true)]
    [InlineData("app=api", false)]
    [InlineData("app!=api", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("missing=x", false)]
    [InlineData("app in (web,api)", true)]
    [InlineData("app in (api, db)", false)]
    [InlineData("app notin (api,db)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("missing in (x)", false)]
    [InlineData("app", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("app=web,tier=front", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("app in (web,api),tier notin (back),!missing,version", true)]
    [InlineData("app.kubernetes.io/managed-by=apikey-operator", true)]
    [InlineData("empty=", true)]
    [InlineData("app=", false)]
    [InlineData("empty in (,x)", true)]
    [InlineData("version>2", true)]
    [InlineData("version<3", false)]
    [InlineData("app>2", false)]
    public void MatchesLikeTheApiServer(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));
    }

    [Theory]
    [InlineData("app=web,")]
    [InlineData(",app=web")]
    [InlineData("app in web")]
    [InlineData("app in (web")]
    [InlineData("app in (a b)")]
    [InlineData("app=web=x")]
    [InlineData("app web")]
    [InlineData("=web")]
    [InlineData("!app=web")]
    [InlineData("app=we$b")]
    [InlineData("-app=web")]
    [InlineData("Foo/app=web")]
    [InlineData("app>x")]
    [InlineData("app=toolongvalue_toolongvalue_toolongvalue_toolongvalue_toolongvalue")]
    [InlineData("app ~ web")]
    public void RejectsBadSyntax(string selector)
    {
        Assert.Throws<SelectorParseException>(() => LabelSelector.Parse(selector));
    }

    [Fact]
    public void NullLabelsMatchOnlyNegativeRequirements()
    {
        Assert.True(LabelSelector.Parse("!a,b!=c,d notin (e)").Matches(null));
        Assert.False(LabelSelector.Parse("a").Matches(null));
    }

    [Fact]
    public void ParsesRequirementsAndRoundTrips()
    {
        var selector = LabelSelector.Parse("a in (x, y),b!=c,!d");

        Assert.Equal(3, selector.Requirements.Count);
        Assert.Equal(SelectorOperator.In, selector.Requirements[0].Operator);
        Assert.Equal(["x", "y"], selector.Requirements[0].Values);
        Assert.Equal("a in (x,y),b!=c,!d", selector.ToString());
        Assert.False(selector.IsEmpty);
        Assert.True(LabelSelector.Parse(null).IsEmpty);
    }
}
