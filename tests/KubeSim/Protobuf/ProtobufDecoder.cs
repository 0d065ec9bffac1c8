using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim.Protobuf;

/// <summary>
/// Decodes the Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown{typeMeta, raw}) into the JSON object it
/// stands for, driven by the field tables in <see cref="KubernetesProtoMessages"/>. Zero values are dropped as
/// Go's JSON encoding drops them (omitempty), except for fields that keep them (pointers, required fields).
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

    // The tables are not recursive, so nesting is bounded by them whatever the body holds (unknown fields are skipped unread).
    private static JsonObject Message(ReadOnlySpan<byte> bytes, ProtoMessage message)
    {
        var obj = new JsonObject();
        Fill(obj, bytes, message);
        return obj;
    }

    private static void Fill(JsonObject obj, ReadOnlySpan<byte> bytes, ProtoMessage message)
    {
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (message.Field(number) is not { } field || wire != ExpectedWireType(field.Kind))
            {
                reader.Skip(wire);
                continue;
            }

            switch (field.Kind)
            {
                case ProtoFieldKind.String:
                    // Go encodes every non-pointer string, empty or not; JSON omits empty ones.
                    var text = Encoding.UTF8.GetString(reader.ReadBytes());
                    if (text.Length > 0 || field.KeepZero)
                    {
                        obj[field.Name] = text;
                    }

                    break;
                case ProtoFieldKind.Bytes:
                    obj[field.Name] = Convert.ToBase64String(reader.ReadBytes());
                    break;
                case ProtoFieldKind.Int32:
                    var int32 = unchecked((int)(long)reader.ReadVarint());
                    if (int32 != 0 || field.KeepZero)
                    {
                        obj[field.Name] = int32;
                    }

                    break;
                case ProtoFieldKind.Int64:
                    var int64 = unchecked((long)reader.ReadVarint());
                    if (int64 != 0 || field.KeepZero)
                    {
                        obj[field.Name] = int64;
                    }

                    break;
                case ProtoFieldKind.Bool:
                    var flag = reader.ReadVarint() != 0;
                    if (flag || field.KeepZero)
                    {
                        obj[field.Name] = flag;
                    }

                    break;
                case ProtoFieldKind.Message:
                    obj[field.Name] = Message(reader.ReadBytes(), field.Message!);
                    break;
                case ProtoFieldKind.Inline:
                    Fill(obj, reader.ReadBytes(), field.Message!);
                    break;
                case ProtoFieldKind.StringMap or ProtoFieldKind.BytesMap or ProtoFieldKind.QuantityMap:
                    var (key, value) = MapEntry(reader.ReadBytes(), field.Kind);
                    Child(obj, field.Name, static () => new JsonObject())[key] = value;
                    break;
                case ProtoFieldKind.RepeatedString:
                    Child(obj, field.Name, static () => new JsonArray()).Add(Encoding.UTF8.GetString(reader.ReadBytes()));
                    break;
                case ProtoFieldKind.RepeatedMessage:
                    Child(obj, field.Name, static () => new JsonArray()).Add(Message(reader.ReadBytes(), field.Message!));
                    break;
                case ProtoFieldKind.IntOrString:
                    obj[field.Name] = IntOrString(reader.ReadBytes());
                    break;
                case ProtoFieldKind.Quantity:
                    obj[field.Name] = FirstString(reader.ReadBytes());
                    break;
                case ProtoFieldKind.EmbeddedJson:
                    obj[field.Name] = EmbeddedJson(reader.ReadBytes());
                    break;
                case ProtoFieldKind.Time:
                    if (Time(reader.ReadBytes()) is { } time)
                    {
                        obj[field.Name] = time;
                    }

                    break;
            }
        }
    }

    private static int ExpectedWireType(ProtoFieldKind kind) =>
        kind is ProtoFieldKind.Int32 or ProtoFieldKind.Int64 or ProtoFieldKind.Bool ? 0 : 2;

    private static JsonNode IntOrString(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        long type = 0;
        var intVal = 0;
        var strVal = "";
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 0:
                    type = (long)reader.ReadVarint();
                    break;
                case 2 when wire == 0:
                    intVal = unchecked((int)(long)reader.ReadVarint());
                    break;
                case 3 when wire == 2:
                    strVal = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return type == 1 ? JsonValue.Create(strVal) : JsonValue.Create(intVal);
    }

    private static string FirstString(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                return Encoding.UTF8.GetString(reader.ReadBytes());
            }

            reader.Skip(wire);
        }

        return "";
    }

    private static JsonNode? EmbeddedJson(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                try
                {
                    return JsonNode.Parse(reader.ReadBytes());
                }
                catch (JsonException ex)
                {
                    throw new FormatException("embedded JSON is malformed: " + ex.Message, ex);
                }
            }

            reader.Skip(wire);
        }

        return new JsonObject();
    }

    private static string? Time(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        long seconds = 0;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 0)
            {
                seconds = unchecked((long)reader.ReadVarint());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        // Go's zero time is encoded as an empty message; JSON renders it null, which the server ignores.
        return seconds == 0 || seconds < -62135596800 || seconds > 253402300799
            ? null
            : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static (string Key, JsonNode Value) MapEntry(ReadOnlySpan<byte> bytes, ProtoFieldKind kind)
    {
        var reader = new ProtoReader(bytes);
        var key = "";
        JsonNode value = "";
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
                value = kind switch
                {
                    ProtoFieldKind.BytesMap => Convert.ToBase64String(content),
                    ProtoFieldKind.QuantityMap => FirstString(content),
                    _ => Encoding.UTF8.GetString(content),
                };
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
