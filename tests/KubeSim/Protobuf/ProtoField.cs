namespace KubeSim.Protobuf;

/// <summary>
/// One field of a Kubernetes protobuf message: its field number in generated.proto, its JSON name, how it maps
/// to JSON, and whether a zero value is kept (Go pointer fields and fields without omitempty).
/// </summary>
internal sealed record ProtoField(int Number, string Name, ProtoFieldKind Kind, ProtoMessage? Message = null, bool KeepZero = false);
