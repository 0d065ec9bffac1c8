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

    private static byte[] VarintField(int number, long value) => [.. Varint((ulong)(number << 3)), .. Varint(unchecked((ulong)value))];

    [Fact]
    public void Kinds_it_cannot_decode_yield_null()
    {
        Assert.Null(ProtobufDecoder.Decode(Envelope("v1", "Node", Field(1, Field(1, "n")))));
    }

    [Fact]
    public void Decodes_a_deployment_with_pod_spec_container_int_or_string_and_quantities_by_field_number()
    {
        byte[] resources = Field(1, [.. Field(1, "cpu"), .. Field(2, Field(1, "500m"))]);
        byte[] port = [.. VarintField(3, 8080), .. Field(4, "TCP")];
        byte[] env = [.. Field(1, "MODE"), .. Field(3, Field(4, [.. Field(1, Field(1, "creds")), .. Field(2, "token")]))];
        byte[] container = [.. Field(1, "main"), .. Field(2, "nginx"), .. Field(3, "sh"), .. Field(3, "-c"), .. Field(6, port), .. Field(7, env), .. Field(8, resources), .. VarintField(16, 0)];
        byte[] podSpec = [.. Field(2, container), .. Field(3, "Always"), .. VarintField(4, 0), .. Field(7, [.. Field(1, "zone"), .. Field(2, "a")])];
        byte[] template = [.. Field(1, Field(11, [.. Field(1, "app"), .. Field(2, "web")])), .. Field(2, podSpec)];
        byte[] rollingUpdate = [.. Field(1, [.. VarintField(1, 1), .. Field(3, "25%")]), .. Field(2, [.. VarintField(1, 0), .. VarintField(2, 2)])];
        byte[] spec = [.. VarintField(1, 0), .. Field(2, Field(1, [.. Field(1, "app"), .. Field(2, "web")])), .. Field(3, template), .. Field(4, [.. Field(1, "RollingUpdate"), .. Field(2, rollingUpdate)]), .. VarintField(5, 0)];
        byte[] deployment = [.. Field(1, Field(1, "web")), .. Field(2, spec), .. Field(3, [])];

        var obj = ProtobufDecoder.Decode(Envelope("apps/v1", "Deployment", deployment))!;

        // replicas is a pointer (0 kept), minReadySeconds is not (0 dropped), status is the server's (skipped).
        Assert.Equal(0, obj["spec"]!["replicas"]!.GetValue<int>());
        Assert.Null(obj["spec"]!["minReadySeconds"]);
        Assert.Null(obj["status"]);
        Assert.Equal("25%", obj["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<string>());
        Assert.Equal(2, obj["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<int>());
        var pod = obj["spec"]!["template"]!["spec"]!;
        Assert.Equal(0, pod["terminationGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal("a", pod["nodeSelector"]!["zone"]!.GetValue<string>());
        var c = pod["containers"]![0]!;
        Assert.Equal(["sh", "-c"], c["command"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(8080, c["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("500m", c["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Null(c["stdin"]);
        // SecretKeySelector inlines its LocalObjectReference, as the Go JSON tags do.
        Assert.Equal("creds", c["env"]![0]!["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>());
        Assert.Equal("token", c["env"]![0]!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void Negative_int32_values_arrive_sign_extended_and_decode_negative()
    {
        var obj = ProtobufDecoder.Decode(Envelope("scheduling.k8s.io/v1", "PriorityClass", [.. Field(1, Field(1, "low")), .. VarintField(2, -5)]))!;

        Assert.Equal(-5, obj["value"]!.GetValue<int>());
    }

    [Fact]
    public void Hostile_bodies_are_format_errors_not_crashes()
    {
        // A length past the end and a truncated varint.
        Assert.Throws<FormatException>(() => ProtobufDecoder.Decode(Envelope("v1", "Secret", [0x0A, 0x7F, 0x01])));
        Assert.Throws<FormatException>(() => ProtobufDecoder.Decode(Envelope("v1", "Secret", [0x18, 0xFF])));
    }

    [Fact]
    public void A_body_without_the_envelope_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => ProtobufDecoder.Decode("{}"u8));
    }
}
