using System.Globalization;
using System.Net;

namespace ApiKeyOperator.Verification;

/// <summary>
/// A <c>host:port</c> bind address as kubebuilder's flags take it: <c>:8443</c> (every interface),
/// <c>127.0.0.1:0</c> (loopback, any free port), <c>[::1]:8443</c>, <c>localhost:8443</c>.
/// A null <see cref="Address"/> means every interface.
/// </summary>
public sealed record ListenAddress(IPAddress? Address, int Port)
{
    public static ListenAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new FormatException($"bind address \"{text}\" is not host:port");
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0)
        {
            return new ListenAddress(null, port);
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(IPAddress.Loopback, port);
        }

        return IPAddress.TryParse(host, out var address)
            ? new ListenAddress(address, port)
            : throw new FormatException($"bind address \"{text}\": host must be empty, localhost or an IP address");
    }
}
