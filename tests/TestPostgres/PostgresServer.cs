using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace TestPostgres;

/// <summary>
/// A real PostgreSQL server of the machine's own binaries, in a temporary directory, listening on 127.0.0.1 at a
/// free port with its socket in that directory, password authentication (scram-sha-256) for the superuser
/// <see cref="User"/>. Tests may stop and start it (an outage) or kill it. Disposing stops it and deletes
/// everything. The first server of a process runs initdb into a template that later servers copy, which is faster.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "apikey";

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? template;
    private static string? templatePassword;
    private readonly PostgresBinaries _binaries;
    private readonly string _root;
    private int _databases;

    private PostgresServer(PostgresBinaries binaries, string root, string password)
    {
        _binaries = binaries;
        _root = root;
        Password = password;
    }

    /// <summary>The superuser's password: tests check it never shows up where it should not.</summary>
    public string Password { get; }

    public int Port { get; private set; }

    public bool Running { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    /// <summary>Starts a server, or returns why none can start here (the caller's tests then report skipped).</summary>
    public static async Task<(PostgresServer? Server, string? Unavailable)> TryStartAsync(CancellationToken cancellationToken)
    {
        var (binaries, unavailable) = PostgresBinaries.Find();
        if (binaries is null)
        {
            return (null, unavailable);
        }

        string? templateError = await EnsureTemplateAsync(binaries, cancellationToken);
        if (templateError is not null)
        {
            return (null, templateError);
        }

        string root = Directory.CreateTempSubdirectory("apikey-pg-").FullName;
        var server = new PostgresServer(binaries, root, templatePassword!);
        var copy = PostgresBinaries.Run("cp", ["-a", template!, server.DataDirectory]);
        if (copy is not { ExitCode: 0 })
        {
            DeleteQuietly(root);
            return (null, $"could not copy the PostgreSQL template: {copy?.Output}");
        }

        binaries.Own(root);
        if (await server.TryStartAsync(newPort: true, cancellationToken) is { } error)
        {
            await server.DisposeAsync();
            return (null, error);
        }

        return (server, null);
    }

    /// <summary>A new empty database; returns its URL (with the password), the form the operator's --ledger takes.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        string name = $"t{Interlocked.Increment(ref _databases)}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return Url(name);
    }

    public string Url(string database) => $"postgres://{User}:{Uri.EscapeDataString(Password)}@127.0.0.1:{Port}/{database}";

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = User, Password = Password, Database = database, Pooling = false }.ConnectionString;

    /// <summary>Stops the server: <paramref name="immediate"/> is a crash (no checkpoint), else a fast shutdown.</summary>
    public Task StopAsync(bool immediate = false)
    {
        var stop = _binaries.Tool("pg_ctl", ["-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "stop"]);
        Running = false;
        return stop.ExitCode == 0 ? Task.CompletedTask : throw new InvalidOperationException($"pg_ctl stop failed: {stop.Output}");
    }

    /// <summary>Starts the stopped server again on the same port.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryStartAsync(newPort: false, cancellationToken) is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Running)
        {
            _binaries.Tool("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            Running = false;
        }

        await Task.Yield();
        DeleteQuietly(_root);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is going away; the temporary directory is the OS's to clean.
        }
    }

    private static async Task<string?> EnsureTemplateAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        await TemplateGate.WaitAsync(cancellationToken);
        try
        {
            if (template is not null)
            {
                return null;
            }

            string root = Directory.CreateTempSubdirectory("apikey-pg-template-").FullName;
            string password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            string passwordFile = Path.Combine(root, "password");
            await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
            binaries.Own(root);
            string data = Path.Combine(root, "data");
            var initdb = binaries.Tool(
                "initdb", ["-D", data, "-U", User, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync"]);
            File.Delete(passwordFile);
            if (initdb.ExitCode != 0)
            {
                return $"initdb failed: {initdb.Output.Trim()}";
            }

            template = data;
            templatePassword = password;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(root);
            return null;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private async Task<string?> TryStartAsync(bool newPort, CancellationToken cancellationToken)
    {
        // A free port can be taken by someone else between the probe and the server's bind: try a few.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (newPort || Port == 0)
            {
                Port = FreePort();
            }

            string options = $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_root} -c fsync=off -c full_page_writes=off -c max_connections=200";
            var start = _binaries.Tool("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"]);
            if (start.ExitCode == 0)
            {
                Running = true;
                return null;
            }

            if (!newPort)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }

        string log = File.Exists(LogFile) ? string.Join(" | ", (await File.ReadAllLinesAsync(LogFile, cancellationToken)).TakeLast(5)) : "no server log";
        return $"the PostgreSQL server did not start: {log}";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
