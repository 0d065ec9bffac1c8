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
        Assert.Equal(2, _index.ApiKeyCount);
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
        Assert.Empty(_index.KeysOf("a", "x"));
        Assert.Equal(1, _index.ApiKeyCount);
    }

    [Fact]
    public void Keys_of_another_ApiKey_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _index.Replace("ns", "a", [Key("ns", "b", "00000001")]));
    }

    [Fact]
    public async Task Readers_always_see_one_whole_generation_while_a_writer_rotates()
    {
        // Each generation replaces both keys of the ApiKey at once; a reader must never see a mix or a gap.
        const int generations = 2000;
        _index.Replace("ns", "a", [Key("ns", "a", "0000000a", 0), Key("ns", "a", "0000000b", 0)]);
        var token = TestContext.Current.CancellationToken;
        var writer = Task.Run(() =>
        {
            for (var generation = 1; generation <= generations; generation++)
            {
                _index.Replace("ns", "a", [Key("ns", "a", "0000000a", generation), Key("ns", "a", "0000000b", generation)]);
            }
        }, token);

        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var keys = _index.KeysOf("ns", "a");
            Assert.Equal(2, keys.Length);
            Assert.Equal(keys[0].Hash, keys[1].Hash);
            Assert.Single(_index.FindByKeyId("0000000a"));
            reads++;
        }

        await writer;
        Assert.Equal("sha256:" + generations, _index.FindByKeyId("0000000b")[0].Hash);
    }

    private static IndexedKey Key(string ns, string name, string keyId, int generation = 0) =>
        new(ns, name, keyId, "sha256:" + generation, IndexedKeyState.Active, [], null);
}
