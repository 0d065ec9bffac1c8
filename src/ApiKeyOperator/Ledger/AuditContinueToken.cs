using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Keyset cursor: the (time, id) of the last row a page returned. Encoded base64url so clients treat it
/// as opaque; the next page continues strictly after it in (time DESC, id DESC) order.
/// </summary>
internal readonly record struct AuditContinueToken(long TimeMs, long Id)
{
    private const string Version = "v1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{Version}:{TimeMs}:{Id}")));

    /// <exception cref="ArgumentException">The token was not produced by <see cref="Encode"/>.</exception>
    public static AuditContinueToken Decode(string token)
    {
        const string invalid = "The continue token is not valid; pass the value returned by the previous page.";
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            throw new ArgumentException(invalid, "continue");
        }

        string[] parts = Encoding.ASCII.GetString(bytes).Split(':');
        if (parts.Length != 3
            || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long timeMs)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long id))
        {
            throw new ArgumentException(invalid, "continue");
        }

        return new AuditContinueToken(timeMs, id);
    }
}
