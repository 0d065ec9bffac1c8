using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// <see cref="IAuditLedger"/> on PostgreSQL, for HA installs: every replica reads and writes the same trail, so
/// <c>/audit</c> and the <c>audit</c> CLI answer the same on any pod and a failover loses nothing. Same schema,
/// migrations and SQL as the SQLite ledger. Connections come from Npgsql's pool; one broken by a server restart is
/// dropped and the next write opens a fresh one, so writes fail during an outage and succeed as soon as the server
/// is back.
/// </summary>
public sealed class PostgresAuditLedger : SqlAuditLedger, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource dataSource;

    public PostgresAuditLedger(
        LedgerOptions options, TimeProvider timeProvider, LedgerHealth health, ILogger<PostgresAuditLedger> logger, IAuditStream? stream = null,
        AuditMetrics? metrics = null, AuditRedactionMetrics? redactions = null)
        : base(PostgresLedgerDialect.Instance, options, timeProvider, health, logger, stream, metrics, redactions)
    {
        ArgumentNullException.ThrowIfNull(options.Postgres);
        dataSource = NpgsqlDataSource.Create(options.Postgres.ConnectionString);
        Location = options.Postgres.Display;
    }

    public override string Location { get; }

    public void Dispose()
    {
        dataSource.Dispose();
        DisposeGate();
    }

    public async ValueTask DisposeAsync()
    {
        await dataSource.DisposeAsync();
        DisposeGate();
    }

    private protected override Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private protected override async Task<T> WithWriteConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await write(connection, cancellationToken);
    }

    private protected override Task<T> WithReadConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        WithWriteConnectionAsync(read, cancellationToken);
}
