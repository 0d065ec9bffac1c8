using ApiKeyOperator.Verification;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class KeyIndexTests
{
    private readonly KeyIndex _index = new();

    [Fact]
    public void Replace_swaps_all_keys_of_one_ApiKey_and_leaves_others_alone()
    {
        _index.Replace("ns", "a", [Key("ns", "a", "00000001"), Key("ns", "a", "00000002")]);
        _index.Replace("ns", "b", [Key("ns", "b", "00000003")]);

        _index.Replace("ns", "a", [Key("ns", "a", "00000004")]);

        Assert.Empty(_index.FindByKeyId("00000001"));
        Assert.Empty(_index.FindByKeyId("00000002"));
        Assert.Single(_index.FindByKeyId("00000004"));
        Assert.Single(_index.FindByKeyId("00000003"));
    }

    [Fact]
    public void Shared_key_id_keeps_both_owners_until_one_is_removed()
    {
        _index.Replace("a", "x", [Key("a", "x", "0000000a")]);
        _index.Replace("b", "y", [Key("b", "y", "0000000a")]);
        Assert.Equal(2, _index.FindByKeyId("0000000a").Length);

        _index.Remove("a", "x");

        var left = Assert.Single(_index.FindByKeyId("0000000a"));
        Assert.Equal("b", left.Namespace);
    }

    [Fact]
    public void Keys_of_another_ApiKey_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _index.Replace("ns", "a", [Key("ns", "b", "00000001")]));
    }

    [Fact]
    public async Task Readers_never_miss_a_key_that_stays_while_a_writer_replaces_its_ApiKey()
    {
        // Each generation rewrites the ApiKey's keys; a reader must always find the key, never an older generation.
        const int generations = 2000;
        _index.Replace("ns", "a", [Key("ns", "a", "0000000a", 0), Key("ns", "a", "0000000b", 0)]);
        var writer = Task.Run(() =>
        {
            for (var generation = 1; generation <= generations; generation++)
            {
                _index.Replace("ns", "a", [Key("ns", "a", "0000000a", generation), Key("ns", "a", "0000000b", generation)]);
            }
        }, TestContext.Current.CancellationToken);

        var lastSeen = 0;
        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var seen = int.Parse(Assert.Single(_index.FindByKeyId("0000000a")).Hash["sha256:".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(seen >= lastSeen, $"generation went back from {lastSeen} to {seen}");
            lastSeen = seen;
            reads++;
        }

        await writer;
        Assert.Equal("sha256:" + generations, Assert.Single(_index.FindByKeyId("0000000b")).Hash);
    }

    private static IndexedKey Key(string ns, string name, string keyId, int generation = 0) =>
        new(ns, name, keyId, "sha256:" + generation, IndexedKeyState.Active, [], null);
}
