namespace KubeSim.Protobuf;

/// <summary>How a protobuf field of a Kubernetes generated.proto maps to JSON.</summary>
internal enum ProtoFieldKind
{
    /// <summary>string; empty strings are dropped (Go's omitempty) unless the field keeps zero values.</summary>
    String,

    /// <summary>bytes, rendered base64 as Go's []byte.</summary>
    Bytes,

    /// <summary>int32 varint (negative values arrive sign-extended to 64 bits).</summary>
    Int32,

    /// <summary>int64 varint.</summary>
    Int64,

    /// <summary>bool varint.</summary>
    Bool,

    /// <summary>A nested message rendered as a JSON object.</summary>
    Message,

    /// <summary>A message whose fields are inlined into the parent (Go's json:",inline" embedding).</summary>
    Inline,

    /// <summary>map&lt;string, string&gt;.</summary>
    StringMap,

    /// <summary>map&lt;string, bytes&gt; (Secret data).</summary>
    BytesMap,

    /// <summary>map&lt;string, Quantity&gt; (resource lists).</summary>
    QuantityMap,

    /// <summary>repeated string.</summary>
    RepeatedString,

    /// <summary>repeated message.</summary>
    RepeatedMessage,

    /// <summary>intstr.IntOrString: a JSON number or string.</summary>
    IntOrString,

    /// <summary>resource.Quantity: its canonical string.</summary>
    Quantity,

    /// <summary>A message whose field 1 holds raw JSON bytes (meta/v1 FieldsV1, runtime.RawExtension).</summary>
    EmbeddedJson,

    /// <summary>meta/v1 Time: RFC 3339 at second precision; the zero time is dropped.</summary>
    Time,
}
