using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// wrk (Debian's package), run as its own process so the load generator does not share the measured runtime:
/// <c>wrk -t T -c C -d Ns --latency [-s script.lua] URL</c>, its requests/s and latency percentiles read back.
/// </summary>
public static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(Uri url, int threads, int connections, TimeSpan duration, string? luaScript, CancellationToken cancellationToken)
    {
        var binary = Find() ?? throw new InvalidOperationException("wrk is not installed: apt-get install -y wrk");
        string? scriptFile = null;
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t", $"{threads}", "-c", $"{connections}", "-d", $"{(int)duration.TotalSeconds}s", "--latency" })
        {
            start.ArgumentList.Add(arg);
        }

        if (luaScript is not null)
        {
            scriptFile = Path.Combine(Path.GetTempPath(), $"wrk-{Guid.NewGuid():N}.lua");
            await File.WriteAllTextAsync(scriptFile, luaScript, cancellationToken);
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(scriptFile);
        }

        start.ArgumentList.Add(url.ToString());
        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk exited {process.ExitCode}: {errors}{output}");
            }

            return Parse(output);
        }
        finally
        {
            if (scriptFile is not null)
            {
                File.Delete(scriptFile);
            }
        }
    }

    /// <summary>A Lua script that sends every request with this method, headers and body.</summary>
    public static string Script(string method, IReadOnlyDictionary<string, string> headers, string? body)
    {
        var lines = new List<string> { $"wrk.method = \"{method}\"" };
        lines.AddRange(headers.Select(h => $"wrk.headers[\"{h.Key}\"] = \"{h.Value}\""));
        if (body is not null)
        {
            lines.Add($"wrk.body = \"{body}\"");
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// A Lua script that POSTs <paramref name="bodies"/> in turn (each wrk thread cycles through all of them) as
    /// application/json to the URL's path.
    /// </summary>
    public static string CyclingPostScript(IReadOnlyList<string> bodies)
    {
        var lines = new List<string> { "local bodies = {" };
        lines.AddRange(bodies.Select(b => b.Contains("]]", StringComparison.Ordinal) ? throw new ArgumentException("a body holds ]]") : $"[[{b}]],"));
        lines.Add("}");
        lines.Add("local i = 0");
        lines.Add("wrk.method = \"POST\"");
        lines.Add("wrk.headers[\"Content-Type\"] = \"application/json\"");
        lines.Add("request = function() i = i % #bodies + 1; return wrk.format(nil, nil, nil, bodies[i]) end");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Whether wrk is on PATH.</summary>
    public static bool IsInstalled => Find() is not null;

    internal static WrkResult Parse(string output)
    {
        double Milliseconds(string percentile)
        {
            var match = Regex.Match(output, $@"^\s*{percentile}%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!match.Success)
            {
                throw new InvalidOperationException($"no {percentile}% latency in wrk's output:\n{output}");
            }

            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }

        var rate = RequestsPerSecond().Match(output);
        var requests = TotalRequests().Match(output);
        var non2xx = NonSuccess().Match(output);
        var errors = SocketErrors().Match(output);
        return new WrkResult(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success,
            Milliseconds("50"),
            Milliseconds("99"),
            output);
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "wrk")).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s*([0-9]+) requests in", RegexOptions.Multiline)]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors:")]
    private static partial Regex SocketErrors();
}
