using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Rollouts;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// What the planner decides from: the ApiKey, the Secret named by <c>spec.secretName</c>, while the credential is
/// moving the Secret named by <c>status.secretName</c>, the ApiKeyRotations naming this ApiKey (they publish the
/// decisions this controller carries out), who asked for the ApiKey's spec and for each rotation (from the
/// <see cref="IRequesterResolver"/>), and which audit rows of status are known to be in the ledger. Never mutated.
/// </summary>
public sealed record ApiKeyObservation(
    ApiKey ApiKey,
    V1Secret? Secret,
    V1Secret? PreviousSecret = null,
    IReadOnlyList<ApiKeyRotation>? Rotations = null)
{
    /// <summary>Who made the ApiKey's latest spec change (issuance, expiry updates).</summary>
    public Requester SpecRequester { get; init; } = Requester.Unknown;

    /// <summary>Who asked for each rotation, by rotation name; absent ones are <see cref="Requester.Unknown"/>.</summary>
    public IReadOnlyDictionary<string, Requester> RotationRequesters { get; init; } = new Dictionary<string, Requester>();

    public IReadOnlySet<string> LandedAudit { get; init; } = new HashSet<string>();

    /// <summary>The workloads named in <c>spec.rollout.targets</c> that the caches do not hold (or that are being deleted).</summary>
    public IReadOnlySet<WorkloadRef> MissingTargets { get; init; } = new HashSet<WorkloadRef>();

    /// <summary>The API server's refusal of the last Secret write (a 4xx), which stalls the ApiKey until its spec changes.</summary>
    public string? SecretRejection { get; init; }

    public Requester RequesterOf(ApiKeyRotation rotation) =>
        RotationRequesters.TryGetValue(rotation.Metadata.Name, out var requester) ? requester : Requester.Unknown;
}
