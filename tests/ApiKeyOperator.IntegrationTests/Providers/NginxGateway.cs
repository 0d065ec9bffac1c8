using System.Diagnostics;
using System.Net.Sockets;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>
/// Debian's nginx, started on loopback by a test: a temp prefix directory, a generated nginx.conf around the
/// caller's <c>http</c>-level configuration, <c>daemon off</c> and one process (<c>master_process off</c>) so the test
/// owns exactly one PID. The caller's configuration listens on <c>{{port}}</c>, replaced by a free port (nginx
/// cannot bind port 0); a port taken in between is retried with another.
/// </summary>
public sealed class NginxGateway : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _prefix;

    private NginxGateway(Process process, DirectoryInfo prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Url { get; }

    public string ErrorLog => ReadLog("error.log");

    /// <summary>The nginx binary: on PATH, or Debian's location.</summary>
    public static string Binary { get; } = FindBinary();

    public static Task<NginxGateway> StartAsync(string httpConfiguration, CancellationToken cancellationToken) =>
        FreePort.RetryAsync(port => StartOnAsync(httpConfiguration.Replace("{{port}}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), port, cancellationToken));

    /// <summary>The whole nginx.conf for <paramref name="httpConfiguration"/> under <paramref name="prefix"/>.</summary>
    public static string Configuration(string prefix, string httpConfiguration) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log info;
        events { worker_connections 1024; }
        http {
            access_log {{prefix}}/access.log;
            client_body_temp_path {{prefix}}/client_body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;
        {{httpConfiguration}}
        }
        """;

    private static async Task<NginxGateway> StartOnAsync(string httpConfiguration, int port, CancellationToken cancellationToken)
    {
        var prefix = Directory.CreateTempSubdirectory("apikey-nginx-");
        var config = Path.Combine(prefix.FullName, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(prefix.FullName, httpConfiguration), cancellationToken);
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList = { "-p", prefix.FullName + "/", "-c", config, "-e", Path.Combine(prefix.FullName, "error.log") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        var gateway = new NginxGateway(process, prefix, port);
        try
        {
            await gateway.WaitUntilListeningAsync(port, cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                var log = ErrorLog + await _process.StandardError.ReadToEndAsync(cancellationToken);
                throw log.Contains("Address already in use", StringComparison.Ordinal)
                    ? new AddressInUseException($"nginx could not bind port {port}")
                    : new InvalidOperationException($"nginx exited with {_process.ExitCode}: {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20, cancellationToken);
            }
        }

        throw new TimeoutException($"nginx did not listen on {port} within 30 s: {ErrorLog}");
    }

    private string ReadLog(string name)
    {
        var path = Path.Combine(_prefix.FullName, name);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static string FindBinary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin"))
        {
            var candidate = Path.Combine(dir, "nginx");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("nginx is not installed: the provider tests need Debian's nginx (.ci/run installs it: apt-get install -y nginx)");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        try
        {
            _prefix.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
