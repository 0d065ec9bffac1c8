using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ApiKeyOperator.IntegrationTests.Cli;

/// <summary>
/// The built <c>apikey-operator</c> (beside the test binaries) as a child process, stdout and stderr kept apart line by
/// line, so tests see exactly what a user or a log pipeline sees.
/// </summary>
public sealed class BinaryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private BinaryProcess(Process process)
    {
        _process = process;
    }

    public static string EntryAssembly => Path.Combine(AppContext.BaseDirectory, "apikey-operator.dll");

    /// <summary>
    /// How long a test waits for the process: generous, because a fresh .NET process on a machine shared by many
    /// builds can take tens of seconds to start, and the deadline only matters when something never happens.
    /// </summary>
    public static TimeSpan Deadline { get; } = TimeSpan.FromMinutes(3);

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    /// <summary>
    /// Starts the binary in <paramref name="workingDirectory"/>; <paramref name="environment"/> entries with a null value
    /// are removed from the child's environment (e.g. KUBECONFIG).
    /// </summary>
    public static BinaryProcess Start(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        startInfo.ArgumentList.Add(EntryAssembly);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        var running = new BinaryProcess(process);
        process.OutputDataReceived += (_, e) => Add(running._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Add(running._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Runs the binary to its end and returns its exit code (the process is killed after <paramref name="timeout"/>).</summary>
    public static async Task<(int Exit, BinaryProcess Process)> RunAsync(
        IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var process = Start(arguments, workingDirectory, environment);
        return (await process.WaitForExitAsync(timeout, cancellationToken), process);
    }

    /// <summary>Sends SIGTERM, as the kubelet does, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken);
        return await WaitForExitAsync(timeout, cancellationToken);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"apikey-operator did not exit within {timeout}:\n{string.Join('\n', StandardOutput)}\n{string.Join('\n', StandardError)}");
        }

        // WaitForExit without a timeout also waits for the redirected streams to reach their end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
