using System.Diagnostics;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>
/// A small tmpfs of its own (a full disk is a real ENOSPC) that can be remounted read-only (a read-only volume).
/// Needs the right to mount (root in CI); <see cref="TryCreate"/> says why not otherwise, and the tests skip.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static TmpfsMount? TryCreate(long bytes, out string? unavailable)
    {
        string path = Directory.CreateTempSubdirectory("ledger-tmpfs-").FullName;
        if (Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path) is { } error)
        {
            Directory.Delete(path);
            unavailable = $"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {error}";
            return null;
        }

        unavailable = null;
        return new TmpfsMount(path);
    }

    public void RemountReadOnly() => Require(Run("mount", "-o", "remount,ro", Path));

    public void RemountReadWrite() => Require(Run("mount", "-o", "remount,rw", Path));

    /// <summary>Writes a file until the file system is full; returns it (delete it to free the space).</summary>
    public string Fill()
    {
        string filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write);
        byte[] chunk = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(chunk);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }

        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void Require(string? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }
    }

    private static string? Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : error.Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
