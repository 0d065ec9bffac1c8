namespace KubeSim.Protobuf;

/// <summary>Reads protobuf wire format: (field number, wire type) tags, varints and length-delimited bytes.</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly bool AtEnd => position >= data.Length;

    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Next();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("malformed protobuf varint");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = checked((int)ReadVarint());
        if (length < 0 || position + length > data.Length)
        {
            throw new FormatException("protobuf length runs past the end of the message");
        }

        var bytes = data.Slice(position, length);
        position += length;
        return bytes;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new FormatException($"unsupported protobuf wire type {wireType}");
        }
    }

    private void Advance(int count)
    {
        if (position + count > data.Length)
        {
            throw new FormatException("protobuf field runs past the end of the message");
        }

        position += count;
    }

    private byte Next() => position < data.Length ? data[position++] : throw new FormatException("truncated protobuf message");
}
