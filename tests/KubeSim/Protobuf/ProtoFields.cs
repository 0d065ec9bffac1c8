namespace KubeSim.Protobuf;

/// <summary>Short constructors for the field tables (keep: a zero value is kept, as for Go pointer fields).</summary>
internal static class ProtoFields
{
    public static ProtoField Str(int number, string name, bool keep = false) => new(number, name, ProtoFieldKind.String, KeepZero: keep);

    public static ProtoField Bytes(int number, string name) => new(number, name, ProtoFieldKind.Bytes);

    public static ProtoField I32(int number, string name, bool keep = false) => new(number, name, ProtoFieldKind.Int32, KeepZero: keep);

    public static ProtoField I64(int number, string name, bool keep = false) => new(number, name, ProtoFieldKind.Int64, KeepZero: keep);

    public static ProtoField Bool(int number, string name, bool keep = false) => new(number, name, ProtoFieldKind.Bool, KeepZero: keep);

    public static ProtoField Msg(int number, string name, ProtoMessage message) => new(number, name, ProtoFieldKind.Message, message);

    public static ProtoField Inline(int number, ProtoMessage message) => new(number, "", ProtoFieldKind.Inline, message);

    public static ProtoField StrMap(int number, string name) => new(number, name, ProtoFieldKind.StringMap);

    public static ProtoField BytesMap(int number, string name) => new(number, name, ProtoFieldKind.BytesMap);

    public static ProtoField QuantityMap(int number, string name) => new(number, name, ProtoFieldKind.QuantityMap);

    public static ProtoField Strs(int number, string name) => new(number, name, ProtoFieldKind.RepeatedString);

    public static ProtoField Msgs(int number, string name, ProtoMessage message) => new(number, name, ProtoFieldKind.RepeatedMessage, message);

    public static ProtoField IntOrStr(int number, string name) => new(number, name, ProtoFieldKind.IntOrString);

    public static ProtoField Quantity(int number, string name) => new(number, name, ProtoFieldKind.Quantity);

    public static ProtoField Json(int number, string name) => new(number, name, ProtoFieldKind.EmbeddedJson);

    public static ProtoField Time(int number, string name) => new(number, name, ProtoFieldKind.Time);
}
