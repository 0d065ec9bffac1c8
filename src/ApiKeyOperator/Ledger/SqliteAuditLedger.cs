using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// <see cref="IAuditLedger"/> on an embedded SQLite file (one replica): WAL journal (readers never block the
/// writer), a busy timeout, versioned migrations. Writes go through one connection under a gate (SQLite admits one
/// writer anyway), reads through pooled ones. A missing or empty file is created. A file that is not a SQLite
/// database, or a SQLite database that is not a ledger, is refused and left exactly as it is. A ledger that is
/// damaged is renamed aside to <c>&lt;path&gt;.corrupt-&lt;UTC yyyyMMddHHmmss&gt;</c> (never deleted) and a fresh one
/// started, which <see cref="LedgerHealth"/> reports. Dispose only after the last call has finished.
/// </summary>
public sealed class SqliteAuditLedger : SqlAuditLedger, IDisposable
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly TimeSpan busyTimeout;
    private readonly string readConnectionString;
    private readonly string ownedConnectionString;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private SqliteConnection? writer;

    public SqliteAuditLedger(
        LedgerOptions options, TimeProvider timeProvider, LedgerHealth health, ILogger<SqliteAuditLedger> logger, IAuditStream? stream = null,
        AuditMetrics? metrics = null, AuditRedactionMetrics? redactions = null)
        : base(SqliteLedgerDialect.Instance, options, timeProvider, health, logger, stream, metrics, redactions)
    {
        busyTimeout = options.BusyTimeout;
        FilePath = System.IO.Path.GetFullPath(options.Path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout (whole seconds; 0 would mean forever).
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
            Pooling = false,
        };
        ownedConnectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWrite;
        builder.Pooling = true;
        readConnectionString = builder.ToString();
    }

    /// <summary>The absolute path of the ledger file.</summary>
    public string FilePath { get; }

    public override string Location => FilePath;

    /// <summary>Closes the write connection and releases pooled read connections so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        writer?.Dispose();
        writer = null;
        using var connection = new SqliteConnection(readConnectionString);
        SqliteConnection.ClearPool(connection);
        writeGate.Dispose();
        DisposeGate();
    }

    private protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        string? directory = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        SqliteLedgerFile.RefuseIfNotSqlite(FilePath);
        if (File.Exists(FilePath) && await FindDamageAsync(cancellationToken) is { } damage)
        {
            MoveAside(damage);
        }

        await using var connection = new SqliteConnection(ownedConnectionString);
        await connection.OpenAsync(cancellationToken);
        int version = await SqliteLedgerDialect.Instance.ReadVersionAsync(connection, null, cancellationToken);
        if (version == 0 && await SqliteLedgerFile.CountTablesAsync(connection, cancellationToken) > 0)
        {
            throw new LedgerSchemaException(
                $"'{FilePath}' is a SQLite database of something else (it has tables but no ledger schema version); the operator leaves it alone. Point the ledger at the ledger file or at a new path.");
        }

        await using SqliteCommand wal = connection.CreateCommand();
        // Persistent in the file; must run outside a transaction.
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        await wal.ExecuteScalarAsync(cancellationToken);
    }

    private protected override async Task<T> WithWriteConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            writer ??= await OpenWriterAsync(cancellationToken);
            return await write(writer, cancellationToken);
        }
        catch
        {
            // Reopened on next use: a connection that failed mid-write is not trusted again.
            writer?.Dispose();
            writer = null;
            throw;
        }
        finally
        {
            writeGate.Release();
        }
    }

    private protected override async Task<T> WithReadConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ownedConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using SqliteCommand pragmas = connection.CreateCommand();
            // synchronous=NORMAL under WAL never corrupts the file and loses no commit to a process crash; a power
            // cut may lose the last commits. FULL would fsync on every audit write.
            pragmas.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Returns why the existing ledger is unusable, or null when it is a sound SQLite database.</summary>
    private async Task<string?> FindDamageAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(ownedConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check;";
            await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            var problems = new List<string>();
            while (problems.Count < 3 && await reader.ReadAsync(cancellationToken))
            {
                problems.Add(reader.GetString(0));
            }

            return problems is ["ok"] ? null : "quick_check failed: " + string.Join("; ", problems);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            return ex.Message;
        }
    }

    private void MoveAside(string damage)
    {
        // Only a ledger is ever renamed: its header carries a schema version the operator wrote (a SQLite file
        // of something else keeps 0 there, and is refused instead).
        if (HeaderUserVersion() is not > 0)
        {
            throw new LedgerSchemaException(
                $"'{FilePath}' is a damaged SQLite database ({damage}) that carries no ledger schema version; the operator leaves it alone. Point the ledger at the ledger file or at a new path.");
        }

        string stamp = TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        string target = $"{FilePath}.corrupt-{stamp}";
        for (int n = 2; File.Exists(target); n++)
        {
            target = string.Create(CultureInfo.InvariantCulture, $"{FilePath}.corrupt-{stamp}-{n}");
        }

        File.Move(FilePath, target);
        // The side files belong to the damaged database; keep them next to it under SQLite's naming so the
        // moved-aside copy can still be opened for forensics.
        foreach (string suffix in (string[])["-wal", "-shm", "-journal"])
        {
            if (File.Exists(FilePath + suffix))
            {
                File.Move(FilePath + suffix, target + suffix);
            }
        }

        string notice = $"The audit ledger file was damaged ({damage}); it was moved aside to {target} and a fresh ledger started. Earlier audit records are only in the moved file.";
        Health.MarkRecovered(notice);
        Logger.LogWarning("Audit ledger at {Path} was damaged ({Damage}); moved aside to {Target} and started a fresh ledger", FilePath, damage, target);
    }

    /// <summary>The user_version field of the database header (bytes 60–63, big-endian), or null when unreadable.</summary>
    private int? HeaderUserVersion()
    {
        byte[] header = new byte[64];
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length
            ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(60))
            : null;
    }
}
