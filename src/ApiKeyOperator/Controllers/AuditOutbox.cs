using System.Collections.Concurrent;
using ApiKeyOperator.Api;
using ApiKeyOperator.Ledger;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Controllers;

/// <summary>
/// Sends the audit rows an object's status carries (<c>status.pendingAudit</c>) to the audit ledger, each with its
/// idempotency key, and remembers which landed so that the next status write that happens anyway trims them.
/// Rows that did not land stay in status and are sent again at the next reconcile; after a restart every row
/// still in status is sent again and the ledger keeps one per idempotency key.
/// </summary>
public sealed partial class AuditOutbox(IAuditLedger ledger, ILogger<AuditOutbox> logger)
{
    /// <summary>Landed keys remembered at most; past it the set starts over (rows are re-sent, the ledger drops duplicates).</summary>
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, byte> _landed = new(StringComparer.Ordinal);

    /// <summary>Idempotency keys known to be in the ledger, among <paramref name="records"/>.</summary>
    public IReadOnlySet<string> Landed(IEnumerable<AuditRecord>? records) =>
        (records ?? []).Select(r => r.IdempotencyKey).Where(_landed.ContainsKey).ToHashSet(StringComparer.Ordinal);

    /// <summary>Records every row not yet known to have landed; true when all of them are in the ledger now.</summary>
    public async Task<bool> SendAsync(string namespaceName, string apiKeyName, IReadOnlyList<KeyRecord>? keys, IEnumerable<AuditRecord>? records, CancellationToken cancellationToken)
    {
        var all = true;
        foreach (var record in records ?? [])
        {
            if (_landed.ContainsKey(record.IdempotencyKey))
            {
                continue;
            }

            var entry = new AuditEntry
            {
                Kind = record.Kind,
                Namespace = namespaceName,
                ApiKey = apiKeyName,
                KeyId = record.KeyId,
                Scopes = [.. (keys ?? []).FirstOrDefault(k => k.Id == record.KeyId)?.Scopes ?? []],
                Reason = record.Reason,
                Rotation = record.Rotation,
                Actor = record.Actor,
                Message = record.Message,
                IdempotencyKey = record.IdempotencyKey,
            };
            bool landed;
            try
            {
                landed = await ledger.TryRecordAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                // Refused for its content: resending cannot help, and a refused row must not hold up a deletion.
                LogRefused(record.Kind, namespaceName, apiKeyName, e.ParamName);
                landed = true;
            }

            if (landed)
            {
                if (_landed.Count >= MaxRemembered)
                {
                    _landed.Clear();
                }

                _landed.TryAdd(record.IdempotencyKey, 0);
            }
            else
            {
                LogNotLanded(record.Kind, namespaceName, apiKeyName, record.KeyId);
                all = false;
            }
        }

        return all;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit row {Kind} for {Namespace}/{ApiKey} key {KeyId} is not in the ledger yet; it stays in status and is sent again")]
    private partial void LogNotLanded(string kind, string @namespace, string apiKey, string? keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit row {Kind} for {Namespace}/{ApiKey} refused by the ledger: field {Field} rejected")]
    private partial void LogRefused(string kind, string @namespace, string apiKey, string? field);
}
