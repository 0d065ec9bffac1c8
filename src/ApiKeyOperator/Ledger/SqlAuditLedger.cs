using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// What both stores share: validation before any I/O, time stamping, the write (insert-or-ignore on the
/// idempotency key and the <see cref="IAuditStream"/> line, in one transaction), health with logging once per
/// cause, the metrics, queries and retention, all in the SQL the two stores have in common. Subclasses say how to
/// open the store and how connections are shared.
/// </summary>
public abstract class SqlAuditLedger : IAuditLedger
{
    private const int PurgeBatchSize = 1000;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private readonly LedgerDialect _dialect;
    private readonly TimeSpan _retention;
    private readonly IAuditStream? _stream;
    private readonly AuditMetrics? _metrics;
    private readonly AuditRedactionMetrics? _redactions;
    private volatile bool _initialized;

    private protected SqlAuditLedger(
        LedgerDialect dialect, LedgerOptions options, TimeProvider timeProvider, LedgerHealth health, ILogger logger, IAuditStream? stream, AuditMetrics? metrics,
        AuditRedactionMetrics? redactions)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _dialect = dialect;
        _retention = options.Retention;
        TimeProvider = timeProvider;
        Health = health;
        Logger = logger;
        _stream = stream;
        _metrics = metrics;
        _redactions = redactions;
    }

    /// <summary>Where the ledger is, fit for logs and messages (never a password).</summary>
    public abstract string Location { get; }

    protected TimeProvider TimeProvider { get; }

    protected LedgerHealth Health { get; }

    protected ILogger Logger { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeGate.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            await OpenAsync(cancellationToken);
            await WithWriteConnectionAsync(
                async (connection, token) =>
                {
                    await LedgerSchema.MigrateAsync(connection, _dialect, Location, token);
                    return 0;
                },
                cancellationToken);
            _initialized = true;
            Health.MarkWriteSucceeded();
            Logger.LogInformation("Audit ledger open at {Location} (schema version {Version})", Location, LedgerSchema.LatestVersion);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (Health.MarkWriteFailed($"Audit ledger could not be opened: {ex.Message}"))
            {
                Logger.LogWarning("Audit ledger at {Location} could not be opened: {Error}; the operator keeps working from the cluster", Location, ex.Message);
            }

            throw;
        }
        finally
        {
            _initializeGate.Release();
        }
    }

    /// <summary>
    /// Stores the row unless one with its <see cref="AuditEntry.IdempotencyKey"/> is already there. The time is the
    /// entry's own when set (a re-sent row keeps when its action happened), else now.
    /// </summary>
    /// <returns>True when the row is stored (now or before, under its key); false when it could not be (logged, health Degraded).</returns>
    public async Task<bool> TryRecordAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        await TryWriteAsync([entry], "record an audit entry", cancellationToken) == 1;

    /// <summary>Stores the rows in one transaction (one commit for a batch of token issuances); all or none.</summary>
    public Task<int> TryRecordManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Count == 0 ? Task.FromResult(0) : TryWriteAsync(entries, "record audit entries", cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        return await WithReadConnectionAsync(AuditQueryRunner.NamespacesAsync, cancellationToken);
    }

    private async Task<int> TryWriteAsync(IReadOnlyList<AuditEntry> entries, string what, CancellationToken cancellationToken)
    {
        DateTime now = TimeProvider.GetUtcNow().UtcDateTime;
        (AuditEntry Entry, long TimeMs)[] rows = [.. entries.Select(entry => (Redacted(entry), LedgerTime.ToUnixMs(entry.Time == default ? now : DateTime.SpecifyKind(entry.Time, DateTimeKind.Utc))))];
        try
        {
            await InitializeAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // InitializeAsync has logged the cause and marked the health.
            _metrics?.Count(AuditMetrics.Failed, rows.Length);
            return 0;
        }

        int written;
        try
        {
            written = await WithWriteConnectionAsync(
                async (connection, token) =>
                {
                    await using DbTransaction transaction = await connection.BeginTransactionAsync(token);
                    int inserted = 0;
                    foreach (var (entry, timeMs) in rows)
                    {
                        long? id = await LedgerSql.InsertAsync(connection, transaction, timeMs, entry, token);
                        if (id is { } newId)
                        {
                            inserted++;
                            if (_stream is not null)
                            {
                                // Before the commit: a row whose line cannot be written is not stored, and is sent again.
                                await _stream.WriteAsync(entry with { Id = newId, Time = LedgerTime.FromUnixMs(timeMs) }, token);
                            }
                        }
                    }

                    await transaction.CommitAsync(token);
                    return inserted;
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The ledger is a record, not the source of truth: a failed write never fails a reconcile. Log a
            // failure once per distinct cause, not once per row.
            _metrics?.Count(AuditMetrics.Failed, rows.Length);
            if (Health.MarkWriteFailed($"Audit ledger could not {what}: {ex.Message}"))
            {
                Logger.LogWarning("Audit ledger at {Location} could not {What}: {Error}", Location, what, ex.Message);
            }
            else
            {
                Logger.LogDebug("Audit ledger at {Location} still cannot {What}: {Error}", Location, what, ex.Message);
            }

            return 0;
        }

        _metrics?.Count(AuditMetrics.Written, written);
        _metrics?.Count(AuditMetrics.Duplicate, rows.Length - written);
        if (Health.MarkWriteSucceeded())
        {
            Logger.LogInformation("Audit ledger writes at {Location} succeed again", Location);
        }

        return rows.Length;
    }

    /// <summary>The row as it may be stored: a field that looks like key material replaced by a marker, counted and logged by name.</summary>
    private AuditEntry Redacted(AuditEntry entry)
    {
        (AuditEntry validated, IReadOnlyList<string> redacted) = AuditEntryValidator.Validate(entry);
        foreach (string field in redacted)
        {
            // Which field and which row, never the value.
            Logger.LogWarning("Audit row {Kind} for {Namespace}/{ApiKey}: field {Field} looked like key material and was stored redacted", validated.Kind, validated.Namespace, validated.ApiKey, field);
            _redactions?.Count(field);
        }

        return validated;
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken);
        return await WithReadConnectionAsync((connection, token) => AuditQueryRunner.QueryAsync(connection, query, token), cancellationToken);
    }

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        long cutoffMs = (TimeProvider.GetUtcNow() - _retention).ToUnixTimeMilliseconds();
        await InitializeAsync(cancellationToken);
        // One short write per batch, so audit writes interleave with a large purge.
        int total = 0;
        int deleted;
        do
        {
            deleted = await WithWriteConnectionAsync((connection, token) => LedgerSql.PurgeBatchAsync(connection, cutoffMs, PurgeBatchSize, token), cancellationToken);
            total += deleted;
        }
        while (deleted == PurgeBatchSize);

        return total;
    }

    /// <summary>Prepares the store before migrations (SQLite: checks the file, WAL mode). Called once, under a gate.</summary>
    private protected abstract Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="write"/> on a connection that may write; a failed one is not reused.</summary>
    private protected abstract Task<T> WithWriteConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken);

    private protected abstract Task<T> WithReadConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken);

    protected void DisposeGate() => _initializeGate.Dispose();
}
