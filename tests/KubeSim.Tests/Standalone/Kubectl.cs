using System.Diagnostics;

namespace KubeSim.Tests.Standalone;

/// <summary>Runs the real kubectl against a standalone KubeSim (its kubeconfig, and a private HOME for the cache).</summary>
internal sealed class Kubectl(StandaloneKubeSim sim)
{
    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, "kubectl")));

    public async Task<KubectlResult> RunAsync(CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = sim.KubeconfigPath;
        start.Environment["HOME"] = sim.Directory;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }
}
