using System.Text.Json.Nodes;
using KubeSim.JsonPaths;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class JsonPathExpressionTests
{
    private static readonly JsonNode Resource = JsonNode.Parse("""
        {"metadata":{"name":"billing","annotations":{"apikeyoperator.io/key-id":"3f9a"},"labels":{"a.b":"dotted"}},
         "spec":{"replicas":3,"scopes":["read","write","admin"]},
         "status":{"currentKeyId":"3f9a1c2e","ready":true,
           "conditions":[{"type":"Reconciling","status":"False"},{"type":"Ready","status":"True","reason":"Issued"}],
           "keys":[{"id":"k1","age":1},{"id":"k2","age":5},{"id":"k3","age":9}]}}
        """)!;

    private static string Eval(string path) =>
        string.Join('|', JsonPathExpression.Parse(path).Evaluate(Resource).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "null"));

    [Theory]
    [InlineData(".metadata.name", "billing")]
    [InlineData("{.metadata.name}", "billing")]
    [InlineData("$.metadata.name", "billing")]
    [InlineData("{$.metadata.name}", "billing")]
    [InlineData("metadata.name", "billing")]
    [InlineData(".status.currentKeyId", "3f9a1c2e")]
    [InlineData(".spec.replicas", "3")]
    [InlineData(".status.ready", "true")]
    [InlineData(".spec.scopes[0]", "read")]
    [InlineData(".spec.scopes[-1]", "admin")]
    [InlineData(".spec.scopes[*]", "read|write|admin")]
    [InlineData(".spec.scopes.*", "read|write|admin")]
    [InlineData(".spec.scopes[0:2]", "read|write")]
    [InlineData(".spec.scopes[1:]", "write|admin")]
    [InlineData(".spec.scopes[0,2]", "read|admin")]
    [InlineData(".spec.scopes[::2]", "read|admin")]
    [InlineData(".spec.scopes[7]", "")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [InlineData(".status.conditions[?(@.type=='Ready')].reason", "Issued")]
    [InlineData("{.status.conditions[?(@.type == \"Ready\")].status}", "True")]
    [InlineData(".status.conditions[?(@.type!=\"Ready\")].type", "Reconciling")]
    [InlineData(".status.conditions[?(@.type==\"Missing\")].status", "")]
    [InlineData(".status.conditions[?(@.reason)].type", "Ready")]
    [InlineData(".status.keys[?(@.age>1)].id", "k2|k3")]
    [InlineData(".status.keys[?(@.age<=5)].id", "k1|k2")]
    [InlineData(".status.keys[?(@.age==5)].id", "k2")]
    [InlineData(".status.keys[*].id", "k1|k2|k3")]
    [InlineData(".metadata.annotations.apikeyoperator\\.io/key-id", "3f9a")]
    [InlineData(".metadata.annotations['apikeyoperator.io/key-id']", "3f9a")]
    [InlineData(".metadata.labels[\"a.b\"]", "dotted")]
    [InlineData("..id", "k1|k2|k3")]
    [InlineData(".missing.deeper", "")]
    [InlineData(".metadata.name.length", "")]
    [InlineData(".spec", """{"replicas":3,"scopes":["read","write","admin"]}""")]
    public void Evaluates(string path, string expected)
    {
        Assert.Equal(expected, Eval(path));
    }

    [Theory]
    [InlineData("{.metadata.name")]
    [InlineData(".spec.scopes[0")]
    [InlineData(".spec.scopes[x]")]
    [InlineData(".status.conditions[?(.type==\"Ready\")]")]
    [InlineData(".status.conditions[?(@.type==\"Ready\"]")]
    [InlineData(".status.conditions[?(@.type==Ready)]")]
    [InlineData(".spec.scopes[::0]")]
    [InlineData(".a..")]
    [InlineData(".metadata.name)")]
    public void RejectsInvalidPaths(string path)
    {
        Assert.Throws<JsonPathParseException>(() => JsonPathExpression.Parse(path));
    }

    [Fact]
    public void KeepsOriginalText()
    {
        Assert.Equal("{.metadata.name}", JsonPathExpression.Parse("{.metadata.name}").ToString());
    }
}
