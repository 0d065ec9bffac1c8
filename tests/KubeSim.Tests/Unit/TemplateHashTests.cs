using System.Text.Json.Nodes;
using KubeSim.Controllers;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class TemplateHashTests
{
    private const string Template = """{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}""";

    private static string Hash(string json) => TemplateHash.Compute(JsonNode.Parse(json));

    [Fact]
    public void UsesTheSafeAlphabet()
    {
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", Hash(Template));
    }

    [Fact]
    public void IgnoresKeyOrderAndEmptyFields()
    {
        // What kubectl rollout undo sends back for the template above.
        const string echoed = """{"spec":{"containers":[{"resources":{},"image":"nginx:1","name":"app"}]},"metadata":{"creationTimestamp":null,"labels":{"app":"web"}}}""";

        Assert.Equal(Hash(Template), Hash(echoed));
    }

    [Fact]
    public void ChangesWithContent()
    {
        Assert.NotEqual(Hash(Template), Hash(Template.Replace("nginx:1", "nginx:2", StringComparison.Ordinal)));
        Assert.NotEqual(Hash(Template), Hash(Template.Replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"app\":\"web\"},\"annotations\":{\"k\":\"v\"}", StringComparison.Ordinal)));
    }
}
