using ApiKeyOperator.Ledger;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Identity;

/// <summary>
/// The requester of a change, as the admission webhook recorded it: the <see cref="RequesterRecord"/> on the object
/// when it verifies for the object's kind, name and current spec; the <see cref="DeletionAudit.Kind"/>
/// ledger row the webhook wrote for a DELETE. Nothing a client sets is taken at face value: anything else is
/// <see cref="Requester.Unknown"/>. The operator's own user maps to <see cref="Requester.Operator"/>.
/// </summary>
public sealed class VerifiedRequesterResolver(RequesterSigner signer, IAuditLedger ledger, OperatorUser operatorUser) : IRequesterResolver
{
    // The webhook's row is written before the API server sets deletionTimestamp (whole seconds).
    private static readonly TimeSpan DeletionClockSlack = TimeSpan.FromSeconds(2);

    public Requester ChangedBy(IKubernetesObject<V1ObjectMeta> obj) =>
        signer.Verified(obj) is { } record ? Map(record.ToRequester()) : Requester.Unknown;

    public async ValueTask<Requester> DeletedByAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        AuditPage page;
        try
        {
            page = await ledger.QueryAsync(
                new AuditQuery { Namespace = obj.Metadata.NamespaceProperty, ApiKey = obj.Metadata.Name, Limit = AuditQuery.MaxLimit }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A ledger that cannot be read could not take the webhook's row either: revoking must not wait for it.
            return Requester.Unknown;
        }

        var marker = DeletionAudit.DeletionMessage(obj.Metadata.Uid);
        var requests = page.Items.Where(r => r.Kind == DeletionAudit.Kind && r.Message == marker).ToList();
        var deletedAt = obj.Metadata.DeletionTimestamp;
        // Newest first: the request that set deletionTimestamp, not a later `kubectl delete` of a deleting object.
        var row = requests.FirstOrDefault(r => deletedAt is null || r.Time <= deletedAt.Value.ToUniversalTime() + DeletionClockSlack) ?? requests.FirstOrDefault();
        return row is null ? Requester.Unknown : Map(new Requester(row.Actor, [], null));
    }

    private Requester Map(Requester requester) => operatorUser.Is(requester.Username) ? Requester.Operator : requester;
}
