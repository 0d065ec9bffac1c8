using System.Security.Cryptography;

namespace ApiKeyOperator.Hosting;

/// <summary>This replica's name in the Lease and in Events: hostname plus a random suffix, unique per process start.</summary>
public sealed record OperatorIdentity(string Name)
{
    public static OperatorIdentity Create() =>
        new($"{Environment.MachineName.ToLowerInvariant()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
}
