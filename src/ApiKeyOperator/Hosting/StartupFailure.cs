using System.CommandLine;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// Turns an exception that stopped the operator from starting into the one line a user needs — which flag, which
/// address or file — e.g. <c>:8080 is already in use (--metrics-bind-address)</c>. Modules' flags are found in the
/// parsed command line by name (<c>*-bind-address</c>, <c>*-file</c>), so a new server or file flag is covered too.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>The line for <paramref name="exception"/>, or null when it is not a start-up problem the user can fix.</summary>
    public static string? Describe(Exception exception, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(options);
        var chain = Chain(exception).ToList();
        if (chain.OfType<KubeconfigException>().FirstOrDefault() is { } kubeconfig)
        {
            return kubeconfig.Message;
        }

        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return Listen(socket, chain, options);
        }

        if (chain.FirstOrDefault(e => e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException) is { } file)
        {
            var flag = Flags(options).FirstOrDefault(f => f.Value is { Length: > 0 } value && file.Message.Contains(value, StringComparison.Ordinal));
            var problem = file is UnauthorizedAccessException ? "permission denied" : "no such file";
            return flag.Name is null ? $"cannot start: {file.Message}" : $"{flag.Name} {flag.Value}: {problem}";
        }

        if (chain.OfType<CryptographicException>().FirstOrDefault() is { } crypto)
        {
            var tls = Flags(options).Where(f => f.Name.Contains("-tls-", StringComparison.Ordinal) && f.Value is { Length: > 0 }).ToList();
            var named = tls.Count == 0 ? "TLS certificate" : string.Join(", ", tls.Select(f => $"{f.Name} {f.Value}"));
            return $"cannot load the {named}: {crypto.Message.TrimEnd('.')}";
        }

        return null;
    }

    private static string Listen(SocketException socket, List<Exception> chain, OperatorOptions options)
    {
        var port = chain.Select(e => FailedBind().Match(e.Message)).FirstOrDefault(m => m.Success) is { } match
            && Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out var url)
            ? url.Port
            : -1;
        var flag = Flags(options).FirstOrDefault(f =>
            f.Name.EndsWith("-bind-address", StringComparison.Ordinal) && port > 0 && TryPort(f.Value) == port);
        var address = flag.Name is null ? (port > 0 ? $":{port}" : "an address") : flag.Value;
        var suffix = flag.Name is null ? "" : $" ({flag.Name})";
        return socket.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => $"{address} is already in use{suffix}",
            SocketError.AccessDenied => $"{address}: permission denied{suffix}",
            SocketError.AddressNotAvailable => $"{address}: no such local address{suffix}",
            _ => $"cannot listen on {address}{suffix}: {socket.Message}",
        };
    }

    private static int? TryPort(string? address)
    {
        try
        {
            return BindAddress.Parse(address)?.Port;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // Every string-valued flag of the parsed command line, or the two server flags when options were built in code.
    private static IEnumerable<(string Name, string? Value)> Flags(OperatorOptions options)
    {
        if (options.CommandLine is { } parsed)
        {
            // Option<string?> is Option<string> at run time: one pass covers both.
            foreach (var option in parsed.CommandResult.Command.Options.OfType<Option<string>>())
            {
                yield return (option.Name, parsed.GetValue(option));
            }

            yield break;
        }

        yield return ("--metrics-bind-address", options.MetricsBindAddress);
        yield return ("--health-probe-bind-address", options.HealthProbeBindAddress);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var next))
        {
            yield return next;
            if (next is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (next.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    // Kestrel: "Failed to bind to address http://127.0.0.1:8080: address already in use."
    [GeneratedRegex(@"bind to address (?<url>\S+?):? address", RegexOptions.CultureInvariant)]
    private static partial Regex FailedBind();
}
