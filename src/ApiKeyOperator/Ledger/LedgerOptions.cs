namespace ApiKeyOperator.Ledger;

/// <summary>Where the audit ledger lives (a SQLite file, or PostgreSQL when <see cref="Postgres"/> is set) and how long it keeps rows.</summary>
public sealed record LedgerOptions
{
    /// <summary>Local default: the working directory. The in-cluster manifest points this at a mounted volume.</summary>
    public const string DefaultPath = "./apikey-operator-ledger.db";

    /// <summary>The SQLite file, unless <see cref="Postgres"/> is set.</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>The PostgreSQL database shared by every replica; null for the embedded SQLite file.</summary>
    public PostgresDsn? Postgres { get; init; }

    /// <summary>Where the ledger is, for messages: the SQLite path or the PostgreSQL URL without its password.</summary>
    public string Display => Postgres?.Display ?? Path;

    /// <summary>Audit rows older than this are purged by <see cref="LedgerMaintenanceService"/>.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(400);

    /// <summary>
    /// How long a write waits for another writer's lock before it gives up and reports Degraded. SQLite's
    /// busy handler waits this long; Microsoft.Data.Sqlite's own retry rounds it up to whole seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often retention is applied.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Postgres is null && string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("The ledger path must not be empty.", nameof(Path));
        }

        if (Retention <= TimeSpan.Zero)
        {
            throw new ArgumentException("The audit retention must be positive.", nameof(Retention));
        }

        if (BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("The busy timeout must not be negative.", nameof(BusyTimeout));
        }

        if (MaintenanceInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("The maintenance interval must be positive.", nameof(MaintenanceInterval));
        }
    }
}
