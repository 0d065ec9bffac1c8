using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim.Protobuf;

/// <summary>
/// Decodes the Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown{typeMeta, raw}) into the JSON object it
/// stands for, for the kinds in <see cref="KubernetesProtoMessages"/>.
/// </summary>
internal static class ProtobufDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <summary>The object, or null when the kind is one KubeSim does not decode.</summary>
    public static JsonObject? Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw new FormatException("protobuf body without the k8s envelope");
        }

        var reader = new ProtoReader(body[Magic.Length..]);
        string apiVersion = "", kind = "";
        ReadOnlySpan<byte> raw = default;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2:
                    (apiVersion, kind) = TypeMeta(reader.ReadBytes());
                    break;
                case 2 when wire == 2:
                    raw = reader.ReadBytes();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (KubernetesProtoMessages.For(apiVersion, kind) is not { } message)
        {
            return null;
        }

        var obj = Message(raw, message);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static (string ApiVersion, string Kind) TypeMeta(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        string apiVersion = "", kind = "";
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire == 2 && field is 1 or 2)
            {
                var text = Encoding.UTF8.GetString(reader.ReadBytes());
                (apiVersion, kind) = field == 1 ? (text, kind) : (apiVersion, text);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (apiVersion, kind);
    }

    private static JsonObject Message(ReadOnlySpan<byte> bytes, ProtoMessage message)
    {
        var obj = new JsonObject();
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (message.Field(number) is not { } field || (wire != 2 && field.Kind is not (ProtoFieldKind.Int64 or ProtoFieldKind.Bool)))
            {
                reader.Skip(wire);
                continue;
            }

            switch (field.Kind)
            {
                case ProtoFieldKind.String:
                    // Go encodes every non-pointer string, empty or not; JSON omits empty ones.
                    var text = Encoding.UTF8.GetString(reader.ReadBytes());
                    if (text.Length > 0)
                    {
                        obj[field.Name] = text;
                    }

                    break;
                case ProtoFieldKind.Bytes:
                    obj[field.Name] = Convert.ToBase64String(reader.ReadBytes());
                    break;
                case ProtoFieldKind.Int64:
                    obj[field.Name] = (long)reader.ReadVarint();
                    break;
                case ProtoFieldKind.Bool:
                    obj[field.Name] = reader.ReadVarint() != 0;
                    break;
                case ProtoFieldKind.Message:
                    obj[field.Name] = Message(reader.ReadBytes(), field.Message!);
                    break;
                case ProtoFieldKind.StringMap or ProtoFieldKind.BytesMap:
                    var (key, value) = MapEntry(reader.ReadBytes(), field.Kind == ProtoFieldKind.BytesMap);
                    Child(obj, field.Name, static () => new JsonObject())[key] = value;
                    break;
                case ProtoFieldKind.RepeatedString:
                    Child(obj, field.Name, static () => new JsonArray()).Add(Encoding.UTF8.GetString(reader.ReadBytes()));
                    break;
                case ProtoFieldKind.RepeatedMessage:
                    Child(obj, field.Name, static () => new JsonArray()).Add(Message(reader.ReadBytes(), field.Message!));
                    break;
            }
        }

        return obj;
    }

    private static (string Key, string Value) MapEntry(ReadOnlySpan<byte> bytes, bool binary)
    {
        var reader = new ProtoReader(bytes);
        string key = "", value = "";
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            var content = reader.ReadBytes();
            if (field == 1)
            {
                key = Encoding.UTF8.GetString(content);
            }
            else if (field == 2)
            {
                value = binary ? Convert.ToBase64String(content) : Encoding.UTF8.GetString(content);
            }
        }

        return (key, value);
    }

    private static T Child<T>(JsonObject obj, string name, Func<T> create)
        where T : JsonNode
    {
        if (obj[name] is not T child)
        {
            child = create();
            obj[name] = child;
        }

        return child;
    }
}
