using System.Text;
using KubeSim.Protobuf;
using Xunit;

namespace KubeSim.Tests.Protobuf;

public sealed class ProtobufDecoderTests
{
    private static byte[] Field(int number, byte[] payload) =>
        [.. Varint((ulong)((number << 3) | 2)), .. Varint((ulong)payload.Length), .. payload];

    private static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Envelope(string apiVersion, string kind, byte[] raw) =>
        [.. "k8s\0"u8.ToArray(), .. Field(1, [.. Field(1, apiVersion), .. Field(2, kind)]), .. Field(2, raw)];

    [Fact]
    public void Decodes_a_secret_with_metadata_maps_and_bytes_and_drops_empty_strings()
    {
        byte[] metadata = [.. Field(1, "s"), .. Field(2, ""), .. Field(3, "team"), .. Field(11, [.. Field(1, "app"), .. Field(2, "web")]), .. Field(14, "example.com/hold")];
        byte[] secret = [.. Field(1, metadata), .. Field(2, [.. Field(1, "k"), .. Field(2, new byte[] { 1, 2, 255 })]), .. Field(3, "")];

        var obj = ProtobufDecoder.Decode(Envelope("v1", "Secret", secret))!;

        Assert.Equal("v1", obj["apiVersion"]!.GetValue<string>());
        Assert.Equal("Secret", obj["kind"]!.GetValue<string>());
        Assert.Equal("s", obj["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("team", obj["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Null(obj["metadata"]!["generateName"]);
        Assert.Equal("web", obj["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal("example.com/hold", obj["metadata"]!["finalizers"]![0]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String([1, 2, 255]), obj["data"]!["k"]!.GetValue<string>());
        Assert.Null(obj["type"]);
    }

    [Fact]
    public void Kinds_it_cannot_decode_yield_null()
    {
        Assert.Null(ProtobufDecoder.Decode(Envelope("apps/v1", "Deployment", Field(1, Field(1, "d")))));
    }

    [Fact]
    public void A_body_without_the_envelope_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => ProtobufDecoder.Decode("{}"u8));
    }
}
