using System.Diagnostics;

namespace TestPostgres;

/// <summary>
/// Where initdb and pg_ctl are (APIKEY_TEST_PG_BIN, <c>pg_config --bindir</c>, Debian's /usr/lib/postgresql/N/bin, or
/// PATH) and who runs them: PostgreSQL refuses to run as root, so under root they run as the <c>postgres</c> user
/// (Debian's package creates it) through runuser.
/// </summary>
public sealed class PostgresBinaries
{
    private PostgresBinaries(string directory, string? runAs)
    {
        Directory = directory;
        RunAs = runAs;
    }

    public string Directory { get; }

    /// <summary>The user the server runs as when this process is root; null to run as this process's user.</summary>
    public string? RunAs { get; }

    /// <summary>Finds the binaries; null with the reason when there are none (the tests then report skipped).</summary>
    public static (PostgresBinaries? Binaries, string? Unavailable) Find()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("APIKEY_TEST_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Run("pg_config", ["--bindir"]) is { ExitCode: 0 } pgConfig)
        {
            candidates.Add(pgConfig.Output.Trim());
        }

        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int major) ? major : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries));
        string? directory = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (directory is null)
        {
            return (null, "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's postgresql package (make postgres-up) or set APIKEY_TEST_PG_BIN");
        }

        if (Environment.UserName != "root")
        {
            return (new PostgresBinaries(directory, null), null);
        }

        if (Run("id", ["-u", "postgres"]) is not { ExitCode: 0 })
        {
            return (null, "running as root, and there is no 'postgres' user to run the PostgreSQL server as (PostgreSQL refuses root)");
        }

        return File.Exists("/usr/sbin/runuser") || File.Exists("/sbin/runuser") || File.Exists("/usr/bin/runuser")
            ? (new PostgresBinaries(directory, "postgres"), null)
            : (null, "running as root without runuser to start the PostgreSQL server as the 'postgres' user");
    }

    /// <summary>Runs a PostgreSQL program (as <see cref="RunAs"/> when set).</summary>
    public ProcessOutput Tool(string name, IReadOnlyList<string> arguments) =>
        RunAs is null
            ? Run(Path.Combine(Directory, name), arguments) ?? new ProcessOutput(-1, $"{name} could not be started")
            : Run("runuser", ["-u", RunAs, "--", Path.Combine(Directory, name), .. arguments]) ?? new ProcessOutput(-1, "runuser could not be started");

    /// <summary>Makes <paramref name="path"/> the server user's own (when running as root).</summary>
    public void Own(string path)
    {
        if (RunAs is not null && Run("chown", ["-R", RunAs, path]) is not { ExitCode: 0 })
        {
            throw new InvalidOperationException($"could not give {path} to {RunAs}");
        }
    }

    public static ProcessOutput? Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return new ProcessOutput(process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
