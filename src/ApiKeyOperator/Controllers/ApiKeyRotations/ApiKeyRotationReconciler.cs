using ApiKeyOperator.Api;
using ApiKeyOperator.Runtime;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// Drives one ApiKeyRotation through Pending → Issuing → RollingOut → GracePeriod → Succeeded (or Failed).
/// Each phase is a small component; every transition is persisted in status before the next step, so a
/// restart resumes where it stopped. A finished rotation is history and is never acted on again.
/// </summary>
public sealed class ApiKeyRotationReconciler(
    IObjectCache<ApiKeyRotation> rotations,
    IObjectCache<ApiKey> apiKeys,
    RotationIndex index,
    RotationStart start,
    RotationRollout rollout,
    RotationRevocation revocation,
    RotationFailure failure) : IReconciler<ApiKeyRotation>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var rotation = rotations.Get(key);
        if (rotation is null)
        {
            index.Forget(key);
            return ReconcileResult.Done;
        }

        index.Record(rotation);
        if (rotation.Metadata.DeletionTimestamp is not null || RotationPhases.IsFinished(rotation.Status?.Phase))
        {
            return ReconcileResult.Done;
        }

        var apiKey = apiKeys.Get(new ObjectKey(key.Namespace, rotation.Spec.ApiKeyName));
        var phase = rotation.Status?.Phase;
        if (phase is null or RotationPhases.Pending)
        {
            return await start.HandleAsync(rotation, apiKey, cancellationToken);
        }

        if (apiKey is null || apiKey.Metadata.DeletionTimestamp is not null)
        {
            // Deleting an ApiKey revokes all its keys; there is nothing left to rotate.
            await failure.FailAsync(rotation, null, Reasons.ApiKeyNotFound, $"ApiKey {rotation.Spec.ApiKeyName} was deleted during the rotation", cancellationToken);
            return ReconcileResult.Done;
        }

        if (!RotationSettings.TryResolve(rotation, apiKey, out var settings, out var invalid))
        {
            await failure.FailAsync(rotation, apiKey, Reasons.InvalidSpec, invalid, cancellationToken);
            return ReconcileResult.Done;
        }

        return phase switch
        {
            RotationPhases.Issuing => await rollout.AwaitIssuedAsync(rotation, apiKey, settings, cancellationToken),
            RotationPhases.RollingOut => await rollout.RollAsync(rotation, apiKey, settings, cancellationToken),
            RotationPhases.GracePeriod => await revocation.HandleAsync(rotation, apiKey, cancellationToken),
            _ => ReconcileResult.Done,
        };
    }
}
