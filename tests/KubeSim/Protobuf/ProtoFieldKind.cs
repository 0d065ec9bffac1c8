namespace KubeSim.Protobuf;

/// <summary>How a protobuf field maps to JSON.</summary>
internal enum ProtoFieldKind
{
    String,
    Bytes,
    Int64,
    Bool,
    Message,
    StringMap,
    BytesMap,
    RepeatedString,
    RepeatedMessage,
}
