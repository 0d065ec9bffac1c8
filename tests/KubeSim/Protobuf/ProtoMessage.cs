namespace KubeSim.Protobuf;

/// <summary>The fields of a protobuf message KubeSim can decode; fields not listed are skipped.</summary>
internal sealed class ProtoMessage
{
    private readonly Dictionary<int, ProtoField> byNumber;

    public ProtoMessage(params ProtoField[] fields)
    {
        Fields = fields;
        byNumber = fields.ToDictionary(f => f.Number);
    }

    public IReadOnlyList<ProtoField> Fields { get; }

    public ProtoField? Field(int number) => byNumber.GetValueOrDefault(number);
}
