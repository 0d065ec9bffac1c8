using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// What controllers call to leave audit rows.
/// <para>
/// <see cref="RecordAsync(AuditEntry, CancellationToken)"/> says whether the row landed. <c>true</c>: it is in the trail,
/// written now or already there under its <see cref="AuditEntry.IdempotencyKey"/> (a re-send is a success, never a second
/// row). <c>false</c>: it is not (ledger unreachable, disk full, read-only volume, database down; the ledger logs the cause
/// once): keep the row and send it again later with the same key, and it lands exactly once. While such rows wait,
/// <c>apikey_audit_rows_pending</c> counts them and /readyz says the trail is behind; this replica forgets them when it
/// stops leading, since the new leader re-sends them from where the controllers keep them. An invalid row (a missing
/// field) throws <see cref="ArgumentException"/>: a bug, never worth a re-send.
/// </para>
/// <para>The ledger is a record, not the source of truth: nothing here ever fails a reconcile.</para>
/// </summary>
public sealed class AuditTrail
{
    private readonly IAuditLedger _ledger;
    private readonly AuditBacklog _backlog;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditTrail> _logger;

    public AuditTrail(IAuditLedger ledger, AuditBacklog backlog, LeaderElectionStatus leadership, TimeProvider time, ILogger<AuditTrail> logger)
    {
        ArgumentNullException.ThrowIfNull(leadership);
        _ledger = ledger;
        _backlog = backlog;
        _time = time;
        _logger = logger;
        leadership.Changed += leading =>
        {
            if (!leading)
            {
                _backlog.Clear();
            }
        };
    }

    /// <summary>For tests and tools without a host: its own backlog and metrics, always leading.</summary>
    public AuditTrail(IAuditLedger ledger, ILogger<AuditTrail> logger)
        : this(ledger, new AuditBacklog(new AuditMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()))), new LeaderElectionStatus(new OperatorOptions()), TimeProvider.System, logger)
    {
    }

    /// <summary>Rows that failed and wait for a re-send.</summary>
    public AuditBacklog Backlog => _backlog;

    /// <summary>A row about <paramref name="apiKey"/>: its namespace and name, and the scopes of the key (or of the spec).</summary>
    public static AuditEntry Entry(
        string kind, ApiKey apiKey, string? keyId, string actor, string? reason = null, string? rotation = null, string? message = null, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        var scopes = (apiKey.Status?.Keys ?? []).FirstOrDefault(k => k.Id == keyId)?.Scopes ?? apiKey.Spec.Scopes ?? [];
        return new AuditEntry
        {
            Kind = kind,
            Namespace = apiKey.Metadata.NamespaceProperty ?? "",
            ApiKey = apiKey.Metadata.Name,
            KeyId = keyId,
            Scopes = [.. scopes],
            Reason = reason,
            Rotation = rotation,
            Actor = actor,
            Message = message,
            IdempotencyKey = idempotencyKey,
        };
    }

    /// <summary>Sends one row; see the class summary for what the answer means.</summary>
    /// <exception cref="ArgumentException">The row is invalid: a bug.</exception>
    public async Task<bool> RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        bool landed = await _ledger.TryRecordAsync(entry, cancellationToken);
        if (entry.IdempotencyKey is { } key)
        {
            if (landed)
            {
                _backlog.Landed(key);
            }
            else
            {
                _backlog.Failed(key, _time.GetUtcNow());
                _logger.LogDebug("Audit row {Kind} for {Namespace}/{ApiKey} waits to be sent again ({Key})", entry.Kind, entry.Namespace, entry.ApiKey, key);
            }
        }
        else if (!landed)
        {
            _logger.LogWarning(
                "Audit row {Kind} for {Namespace}/{ApiKey} key {KeyId} was not recorded and has no idempotency key to send it again with",
                entry.Kind, entry.Namespace, entry.ApiKey, entry.KeyId);
        }

        return landed;
    }

    /// <summary>Builds the row with <see cref="Entry"/> and sends it; an invalid row is logged (naming the field, never its value) rather than thrown.</summary>
    public async Task<bool> RecordAsync(
        string kind, ApiKey apiKey, string? keyId, string actor, string? reason = null, string? rotation = null, string? message = null,
        CancellationToken cancellationToken = default)
    {
        var entry = Entry(kind, apiKey, keyId, actor, reason, rotation, message);
        try
        {
            return await RecordAsync(entry, cancellationToken);
        }
        catch (ArgumentException e)
        {
            // The ledger refused a field (e.g. it looked like key material): say which, never what.
            _logger.LogError("Audit row {Kind} for {Namespace}/{ApiKey} refused: field {Field} rejected", kind, entry.Namespace, entry.ApiKey, e.ParamName);
            return false;
        }
    }
}
