using System.Security.Cryptography;

namespace ApiKeyOperator.Tests.Keys;

/// <summary>A deterministic "random" source: byte n of the stream is <c>byteAt(n)</c>, so tests can pin key material.</summary>
internal sealed class FixedRandom(Func<int, byte> byteAt) : RandomNumberGenerator
{
    public int BytesServed { get; private set; }

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = byteAt(BytesServed++);
        }
    }
}
