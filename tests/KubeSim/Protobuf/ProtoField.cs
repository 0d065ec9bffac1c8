namespace KubeSim.Protobuf;

/// <summary>One field of a Kubernetes protobuf message and its JSON name.</summary>
internal sealed record ProtoField(int Number, string Name, ProtoFieldKind Kind, ProtoMessage? Message = null);
