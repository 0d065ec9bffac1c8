using System.Net;

namespace ApiKeyOperator.Hosting;

/// <summary>Parses kubebuilder bind addresses: <c>:8080</c> (all interfaces), <c>127.0.0.1:0</c>, <c>localhost:8081</c>, <c>0</c> (off).</summary>
public static class BindAddress
{
    /// <summary>The endpoint to listen on, or null when the address disables the server.</summary>
    public static IPEndPoint? Parse(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address == "0")
        {
            return null;
        }

        if (address.StartsWith(':'))
        {
            return new IPEndPoint(IPAddress.Any, ParsePort(address[1..], address));
        }

        var colon = address.LastIndexOf(':');
        if (colon > 0 && address[..colon] == "localhost")
        {
            return new IPEndPoint(IPAddress.Loopback, ParsePort(address[(colon + 1)..], address));
        }

        return IPEndPoint.TryParse(address, out var endpoint) && colon > 0
            ? endpoint
            : throw new FormatException($"'{address}' is not a bind address (host:port, :port or 0)");
    }

    private static int ParsePort(string port, string address) =>
        int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 65535
            ? value
            : throw new FormatException($"'{address}' has no valid port");
}
