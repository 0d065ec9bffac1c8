namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// When signing keys change. A new key is published <see cref="PublishAhead"/> before it signs, so that verifiers
/// caching the JWKS have it before the first token signed with it; a key that stopped signing stays published for
/// <see cref="Retention"/>, so that every token it signed stays verifiable until it expires.
/// </summary>
/// <param name="RotationInterval">How long each key signs.</param>
/// <param name="PublishAhead">How long a key is published before it signs; shorter than <paramref name="RotationInterval"/>.</param>
/// <param name="Retention">How long a key stays published after it stopped signing: the longest token lifetime plus clock skew.</param>
public sealed record SigningKeyPolicy(TimeSpan RotationInterval, TimeSpan PublishAhead, TimeSpan Retention)
{
    /// <summary>Allowance for clocks of replicas and verifiers that differ, and for a replica that saw a new key late.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The problems of this policy, each naming its flag; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (RotationInterval <= TimeSpan.Zero)
        {
            problems.Add("--token-signing-key-rotation must be greater than 0s");
        }

        if (PublishAhead < TimeSpan.Zero)
        {
            problems.Add("--token-signing-key-publish-ahead must not be negative");
        }
        else if (PublishAhead >= RotationInterval)
        {
            problems.Add("--token-signing-key-publish-ahead must be shorter than --token-signing-key-rotation");
        }

        return problems;
    }
}
