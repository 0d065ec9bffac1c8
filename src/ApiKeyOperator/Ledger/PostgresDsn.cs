using System.Globalization;
using Npgsql;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// A PostgreSQL URL (<c>postgres://user:password@host:5432/db?sslmode=verify-full</c>, libpq's form, several
/// <c>host:port</c> separated by commas allowed) turned into an Npgsql connection string. <see cref="Display"/> and
/// <see cref="ToString"/> never show the password, and no error message repeats it.
/// </summary>
public sealed class PostgresDsn
{
    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    private PostgresDsn(string connectionString, string display)
    {
        ConnectionString = connectionString;
        Display = display;
    }

    /// <summary>For Npgsql only: it carries the password.</summary>
    public string ConnectionString { get; }

    /// <summary>The URL without its password, for logs and messages.</summary>
    public string Display { get; }

    /// <param name="source">Where the URL came from (a flag or variable name), for error messages.</param>
    /// <exception cref="FormatException">Not a usable PostgreSQL URL; the message names <paramref name="source"/>.</exception>
    public static PostgresDsn Parse(string url, string source)
    {
        ArgumentNullException.ThrowIfNull(url);
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        string scheme = schemeEnd < 0 ? string.Empty : url[..schemeEnd];
        if (scheme is not ("postgres" or "postgresql"))
        {
            throw new FormatException($"{source}: a PostgreSQL ledger is a postgres:// or postgresql:// URL");
        }

        string rest = url[(schemeEnd + 3)..];
        string query = string.Empty;
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        string database = string.Empty;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            database = Uri.UnescapeDataString(rest[(slash + 1)..]);
            rest = rest[..slash];
        }

        string? user = null;
        string? password = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = rest[..at];
            rest = rest[(at + 1)..];
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        var hosts = rest.Split(',', StringSplitOptions.TrimEntries).Select(h => Host(h, source)).ToList();
        if (hosts.Any(h => h.Length == 0))
        {
            throw new FormatException($"{source}: the PostgreSQL URL names no host");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = string.Join(',', hosts),
            Username = user,
            Password = password,
            Database = database.Length == 0 ? null : database,
            ApplicationName = "apikey-operator",
            // A reconcile waits for its audit row: fail fast when the server is unreachable, and retry later.
            Timeout = 5,
            CommandTimeout = 10,
        };
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            Apply(builder, name, value, source);
        }

        string shownUser = user is null ? string.Empty : Uri.EscapeDataString(user) + (password is null ? string.Empty : ":***") + "@";
        string display = $"{scheme}://{shownUser}{string.Join(',', hosts)}/{Uri.EscapeDataString(database)}{(query.Length == 0 ? string.Empty : "?" + query)}";
        return new PostgresDsn(builder.ConnectionString, display);
    }

    public override string ToString() => Display;

    private static string Host(string hostPort, string source)
    {
        // host, host:port, [v6], [v6]:port
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? throw new FormatException($"{source}: unterminated [IPv6] host") : hostPort[..(close + 1)] + Port(hostPort[(close + 1)..], source);
        }

        int colon = hostPort.LastIndexOf(':');
        return colon < 0 ? Uri.UnescapeDataString(hostPort) : Uri.UnescapeDataString(hostPort[..colon]) + Port(hostPort[colon..], source);
    }

    private static string Port(string colonPort, string source)
    {
        if (colonPort.Length == 0)
        {
            return string.Empty;
        }

        return colonPort.Length > 1 && int.TryParse(colonPort[1..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536
            ? colonPort
            : throw new FormatException($"{source}: '{colonPort[1..]}' is not a port");
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string name, string value, string source)
    {
        switch (name)
        {
            case "sslmode":
                builder.SslMode = SslModes.TryGetValue(value, out SslMode mode)
                    ? mode
                    : throw new FormatException($"{source}: sslmode '{value}' is not one of {string.Join(", ", SslModes.Keys)}");
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = Seconds(name, value, source);
                break;
            case "command_timeout":
                builder.CommandTimeout = Seconds(name, value, source);
                break;
            case "target_session_attrs":
                builder.TargetSessionAttributes = value;
                break;
            case "options":
                builder.Options = value;
                break;
            default:
                throw new FormatException(
                    $"{source}: unknown URL parameter '{name}' (known: sslmode, sslrootcert, sslcert, sslkey, application_name, connect_timeout, command_timeout, target_session_attrs, options)");
        }
    }

    private static int Seconds(string name, string value, string source) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
            ? seconds
            : throw new FormatException($"{source}: {name} '{value}' is not a whole number of seconds");
}
