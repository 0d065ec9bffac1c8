using System.Text.Json.Nodes;
using KubeSim.Controllers;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class PodSecretHashesTests
{
    [Fact]
    public void FindsEveryReferenceStyleOnce()
    {
        var spec = JsonNode.Parse("""
            {"volumes":[{"name":"a","secret":{"secretName":"vol"}},{"name":"b","projected":{"sources":[{"configMap":{"name":"cm"}},{"secret":{"name":"proj"}}]}},{"name":"c","emptyDir":{}}],
             "initContainers":[{"name":"i","envFrom":[{"secretRef":{"name":"init-from"}}]}],
             "containers":[{"name":"c","env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"env","key":"k"}}},{"name":"B","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k"}}},{"name":"C","valueFrom":{"secretKeyRef":{"name":"vol","key":"k"}}}],
               "envFrom":[{"secretRef":{"name":"from"}},{"configMapRef":{"name":"cm"}}]}]}
            """)!.AsObject();

        Assert.Equal(["env", "from", "init-from", "proj", "vol"], PodSecretHashes.ReferencedSecrets(spec));
    }

    [Fact]
    public void NoReferencesForEmptySpec()
    {
        Assert.Empty(PodSecretHashes.ReferencedSecrets(null));
        Assert.Empty(PodSecretHashes.ReferencedSecrets(JsonNode.Parse("""{"containers":[{"name":"c"}]}""")!.AsObject()));
    }

    [Fact]
    public void HashIsStableAcrossKeyOrderAndSensitiveToValues()
    {
        var one = PodSecretHashes.HashOf(JsonNode.Parse("""{"b":"Mg==","a":"MQ=="}""")!.AsObject());
        var same = PodSecretHashes.HashOf(JsonNode.Parse("""{"a":"MQ==","b":"Mg=="}""")!.AsObject());
        var other = PodSecretHashes.HashOf(JsonNode.Parse("""{"a":"MQ==","b":"Mw=="}""")!.AsObject());

        Assert.Equal(one, same);
        Assert.NotEqual(one, other);
        Assert.Matches("^sha256:[0-9a-f]{64}$", one);
    }

    [Fact]
    public void HashOfRawBytesEqualsHashOfTheirBase64()
    {
        var raw = new Dictionary<string, byte[]> { ["b"] = "2"u8.ToArray(), ["a"] = "1"u8.ToArray() };

        Assert.Equal(PodSecretHashes.HashOf(JsonNode.Parse("""{"a":"MQ==","b":"Mg=="}""")!.AsObject()), PodSecretHashes.HashOfBytes(raw));
    }

    [Fact]
    public void HashOfNoDataIsHashOfEmptyObject()
    {
        // sha256("{}")
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", PodSecretHashes.HashOf(null));
    }

    [Fact]
    public void ReadToleratesMissingOrMalformedAnnotation()
    {
        Assert.Empty(PodSecretHashes.Read(JsonNode.Parse("""{"metadata":{}}""")!.AsObject()));
        Assert.Empty(PodSecretHashes.Read(JsonNode.Parse("""{"metadata":{"annotations":{"kubesim.io/secret-hashes":"not json"}}}""")!.AsObject()));
        Assert.Equal("missing", PodSecretHashes.Read(JsonNode.Parse("""{"metadata":{"annotations":{"kubesim.io/secret-hashes":"{\"s\":\"missing\"}"}}}""")!.AsObject())["s"]);
    }
}
