using System.Security.Cryptography;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// This replica's name in the Lease and in Events: the pod name (POD_NAME, from the downward API) or the
/// hostname, plus a random suffix so that a restarted process never mistakes itself for the old holder.
/// </summary>
public sealed record OperatorIdentity(string Name)
{
    public static OperatorIdentity Create()
    {
        var pod = Environment.GetEnvironmentVariable("POD_NAME");
        var host = string.IsNullOrWhiteSpace(pod) ? Environment.MachineName : pod;
        return new($"{host.ToLowerInvariant()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
    }
}
