namespace KubeSim.Protobuf;

/// <summary>The fields of a protobuf message KubeSim can decode; fields not listed are skipped.</summary>
internal sealed record ProtoMessage(IReadOnlyList<ProtoField> Fields)
{
    public ProtoField? Field(int number) => Fields.FirstOrDefault(f => f.Number == number);
}
