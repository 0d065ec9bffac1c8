using System.Diagnostics;

namespace KubeSim.Tests.Standalone;

/// <summary>
/// The built KubeSim.dll run as its own process (`dotnet KubeSim.dll --port 0 --kubeconfig …`), as a user or
/// kubectl would use it.
/// </summary>
public sealed class StandaloneKubeSim : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private StandaloneKubeSim(Process process, string directory, Uri url)
    {
        this.process = process;
        this.directory = directory;
        Url = url;
    }

    public Uri Url { get; }

    public string KubeconfigPath => Path.Combine(directory, "kubeconfig");

    /// <summary>A scratch directory removed on disposal (kubectl's HOME and cache live here).</summary>
    public string Directory => directory;

    public bool HasExited => process.HasExited;

    public static Task<StandaloneKubeSim> StartAsync(CancellationToken ct) => StartAsync(ct, []);

    /// <summary>Starts the program with extra flags (e.g. --users FILE).</summary>
    public static async Task<StandaloneKubeSim> StartAsync(CancellationToken ct, params string[] extraArgs)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kubesim-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var dll = Path.Combine(AppContext.BaseDirectory, "KubeSim.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--port", "0", "--kubeconfig", Path.Combine(directory, "kubeconfig") }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        string? line;
        try
        {
            // Generous: on a loaded CI machine the runtime alone can take many seconds to start.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("KubeSim exited before printing its address: " + await process.StandardError.ReadToEndAsync(ct));
        }
        catch
        {
            // Never leave a server running when its start failed.
            process.Kill(entireProcessTree: true);
            process.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }

        return new StandaloneKubeSim(process, directory, new Uri(line.Trim()));
    }

    /// <summary>Sends SIGTERM and returns the exit code.</summary>
    public async Task<int> TerminateAsync(CancellationToken ct)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        System.IO.Directory.Delete(directory, recursive: true);
    }
}
