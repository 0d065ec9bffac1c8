using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// <see cref="IAuditLedger"/> on an embedded SQLite file: WAL journal (readers never block the writer),
/// a busy timeout, foreign keys on, versioned migrations. Writes go through one prepared connection
/// (<see cref="LedgerWriter"/>), reads through pooled ones. A missing file is created; a damaged one is
/// renamed aside to <c>&lt;path&gt;.corrupt-&lt;UTC yyyyMMddHHmmss&gt;</c> (never deleted) and a fresh one
/// started, which <see cref="LedgerHealth"/> reports. Dispose only after the last call has finished.
/// </summary>
public sealed class SqliteAuditLedger : IAuditLedger, IDisposable
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private const int PurgeBatchSize = 1000;

    private readonly TimeProvider timeProvider;
    private readonly LedgerHealth health;
    private readonly ILogger<SqliteAuditLedger> logger;
    private readonly TimeSpan retention;
    private readonly TimeSpan busyTimeout;
    private readonly string readConnectionString;
    private readonly string ownedConnectionString;
    private readonly SemaphoreSlim initializeGate = new(1, 1);
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private volatile bool initialized;
    private LedgerWriter? writer;

    public SqliteAuditLedger(LedgerOptions options, TimeProvider timeProvider, LedgerHealth health, ILogger<SqliteAuditLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.timeProvider = timeProvider;
        this.health = health;
        this.logger = logger;
        retention = options.Retention;
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

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (initialized)
        {
            return;
        }

        await initializeGate.WaitAsync(cancellationToken);
        try
        {
            if (initialized)
            {
                return;
            }

            string? directory = System.IO.Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            if (File.Exists(FilePath) && await FindDamageAsync(cancellationToken) is { } damage)
            {
                MoveAside(damage);
            }

            await using (var connection = new SqliteConnection(ownedConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await using (SqliteCommand wal = connection.CreateCommand())
                {
                    // Persistent in the file; must run outside a transaction.
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    await wal.ExecuteScalarAsync(cancellationToken);
                }

                await LedgerSchema.MigrateAsync(connection, FilePath, cancellationToken);
            }

            initialized = true;
            health.MarkWriteSucceeded();
            logger.LogInformation("Audit ledger open at {Path} (schema version {Version})", FilePath, LedgerSchema.LatestVersion);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (health.MarkWriteFailed($"Audit ledger could not be opened: {ex.Message}"))
            {
                logger.LogWarning(ex, "Audit ledger at {Path} could not be opened; the operator keeps working from the cluster", FilePath);
            }

            throw;
        }
        finally
        {
            initializeGate.Release();
        }
    }

    public Task<bool> TryRecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        AuditEntryValidator.Validate(entry);
        long timeMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return TryWriteAsync(
            "record an audit entry",
            (ledgerWriter, token) => ledgerWriter.InsertAuditAsync(timeMs, entry, token),
            cancellationToken);
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync((connection, token) => AuditQueryRunner.QueryAsync(connection, query, token), cancellationToken);
    }

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        long cutoffMs = (timeProvider.GetUtcNow() - retention).ToUnixTimeMilliseconds();
        await InitializeAsync(cancellationToken);
        // One short write per batch, so verifications and audit writes interleave with a large purge.
        int total = 0;
        int deleted;
        do
        {
            deleted = await WithWriterAsync((ledgerWriter, token) => ledgerWriter.PurgeAuditBatchAsync(cutoffMs, PurgeBatchSize, token), cancellationToken);
            total += deleted;
        }
        while (deleted == PurgeBatchSize);

        return total;
    }

    /// <summary>Closes the write connection and releases pooled read connections so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        writer?.Dispose();
        writer = null;
        using var connection = new SqliteConnection(readConnectionString);
        SqliteConnection.ClearPool(connection);
        initializeGate.Dispose();
        writeGate.Dispose();
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = new SqliteConnection(readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }

    /// <summary>Runs one write on the shared writer; after a failure the writer is reopened on next use.</summary>
    private async Task<T> WithWriterAsync<T>(Func<LedgerWriter, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            writer ??= await LedgerWriter.OpenAsync(ownedConnectionString, busyTimeout, cancellationToken);
            return await write(writer, cancellationToken);
        }
        catch
        {
            writer?.Dispose();
            writer = null;
            throw;
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async Task<bool> TryInitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InitializeAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // InitializeAsync has already logged the cause and marked the health.
            return false;
        }
    }

    private async Task<bool> TryWriteAsync(string operation, Func<LedgerWriter, CancellationToken, Task<int>> write, CancellationToken cancellationToken)
    {
        if (!await TryInitializeAsync(cancellationToken))
        {
            return false;
        }

        try
        {
            await WithWriterAsync(write, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The ledger is a record, not the source of truth: a failed write must never fail a reconcile
            // or a verification. Log a failure once per distinct cause, not once per call.
            if (health.MarkWriteFailed($"Audit ledger could not {operation}: {ex.Message}"))
            {
                logger.LogWarning(ex, "Audit ledger at {Path} could not {Operation}; the operator keeps working from the cluster", FilePath, operation);
            }
            else
            {
                logger.LogDebug("Audit ledger at {Path} still cannot {Operation}: {Error}", FilePath, operation, ex.Message);
            }

            return false;
        }

        if (health.MarkWriteSucceeded())
        {
            logger.LogInformation("Audit ledger writes at {Path} succeed again", FilePath);
        }

        return true;
    }

    /// <summary>Returns why the existing file is unusable, or null when it is a sound SQLite database.</summary>
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
        string stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
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
        health.MarkRecovered(notice);
        logger.LogWarning("Audit ledger at {Path} was damaged ({Damage}); moved aside to {Target} and started a fresh ledger", FilePath, damage, target);
    }
}
