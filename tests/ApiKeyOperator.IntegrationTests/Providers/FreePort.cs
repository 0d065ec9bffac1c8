using System.Net;
using System.Net.Sockets;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>
/// A loopback port that was free a moment ago, for servers that cannot bind port 0 themselves or must know their
/// port before they start (nginx; an issuer URL that names the port). Callers retry on a bind failure, since
/// another process may take the port in between.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs <paramref name="start"/> with fresh ports until one binds (up to five tries).</summary>
    public static async Task<T> RetryAsync<T>(Func<int, Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(Next());
            }
            catch (Exception e) when (attempt < 5 && IsAddressInUse(e))
            {
                // Taken between the probe and the bind: try another.
            }
        }
    }

    private static bool IsAddressInUse(Exception e) =>
        e is AddressInUseException
        || (e is IOException or SocketException && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        || (e.InnerException is { } inner && IsAddressInUse(inner));
}
