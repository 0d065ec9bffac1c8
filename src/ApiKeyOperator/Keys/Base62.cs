namespace ApiKeyOperator.Keys;

/// <summary>The base62 alphabet used by key material and checksums: digits, then A–Z, then a–z.</summary>
internal static class Base62
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static bool IsBase62(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z');

    public static bool IsBase62(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!IsBase62(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Big-endian base62 of <paramref name="value"/>, left-padded with '0' to <paramref name="width"/>.</summary>
    public static string Encode(uint value, int width)
    {
        Span<char> buffer = stackalloc char[width];
        ulong rest = value;
        for (var i = width - 1; i >= 0; i--)
        {
            buffer[i] = Alphabet[(int)(rest % 62)];
            rest /= 62;
        }

        return new string(buffer);
    }
}
