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
    public static string Hash(ApiKeyRotationSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(spec))))[..16];

    /// <summary>Whether the rotation's spec is the one it was accepted with (or it has not been accepted yet).</summary>
    public static bool IsUnchanged(ApiKeyRotation rotation) =>
        rotation.Status?.SpecHash is not { } recorded || recorded == Hash(rotation.Spec);
}
