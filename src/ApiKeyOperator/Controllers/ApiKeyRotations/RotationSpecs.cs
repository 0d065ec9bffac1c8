using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using ApiKeyOperator.Api;
using k8s;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// The fingerprint of an ApiKeyRotation's spec, recorded in <c>status.specHash</c> when the rotation is first
/// reconciled. The spec is immutable (a CRD validation rule says so too): a rotation whose spec no longer hashes
/// to the recorded value is refused by both controllers, so retargeting a rotation can never act on another key.
/// </summary>
public static class RotationSpecs
{
    // Queue and view checks hash every sibling's spec on every reconcile: remembered per spec object (informer
    // copies are never mutated), re-checked against the fields so that an object edited in place is hashed again.
    private static readonly ConditionalWeakTable<ApiKeyRotationSpec, Tuple<string, string>> Hashes = new();

    public static string Hash(ApiKeyRotationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = $"{spec.ApiKeyName}\u0000{spec.Strategy}\u0000{spec.GracePeriod}\u0000{spec.Reason}\u0000{spec.RequireTraffic}\u0000{spec.TrafficTimeout}";
        if (Hashes.TryGetValue(spec, out var known) && known.Item1 == fields)
        {
            return known.Item2;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(spec))))[..16];
        Hashes.AddOrUpdate(spec, Tuple.Create(fields, hash));
        return hash;
    }

    /// <summary>Whether the rotation's spec is the one it was accepted with (or it has not been accepted yet).</summary>
    public static bool IsUnchanged(ApiKeyRotation rotation) =>
        rotation.Status?.SpecHash is not { } recorded || recorded == Hash(rotation.Spec);
}
