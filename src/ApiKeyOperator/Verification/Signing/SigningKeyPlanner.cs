namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// The signing key schedule as a pure function: stored keys and the time in, the keys to store out.
/// <list type="bullet">
/// <item>No key that signs now (first start, or a clock that went back): add one that signs at once. Nobody can
/// hold a token of a key that never existed, so publishing ahead buys nothing here.</item>
/// <item>The signing key is due for replacement within <see cref="SigningKeyPolicy.PublishAhead"/> and no successor is
/// published: publish one that signs at <c>max(now + PublishAhead, due)</c>, never earlier.</item>
/// <item>A key whose successor has been signing for <see cref="SigningKeyPolicy.Retention"/> is removed.</item>
/// </list>
/// Which key signs is not stored: every replica derives it from the keys and its clock (<see cref="SignerAt"/>),
/// so the switch needs no write and happens everywhere at the same instant.
/// </summary>
public static class SigningKeyPlanner
{
    /// <param name="generate">Creates a fresh key (created now) that signs from the given instant.</param>
    public static SigningKeyPlan Plan(IReadOnlyList<SigningKey> stored, DateTime now, SigningKeyPolicy policy, Func<DateTime, SigningKey> generate)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(generate);
        var keys = Ordered(stored);
        var changed = false;
        if (SignerAt(keys, now) is null)
        {
            keys = Ordered([.. keys, generate(now)]);
            changed = true;
        }

        var signer = SignerAt(keys, now)!;
        var due = signer.ActiveFrom + policy.RotationInterval;
        var successorPublished = keys.Any(k => k.ActiveFrom > now);
        if (!successorPublished && now >= due - policy.PublishAhead)
        {
            var activeFrom = Max(now + policy.PublishAhead, due);
            keys = Ordered([.. keys, generate(activeFrom)]);
            changed = true;
        }

        // A key retires when the next key (in signing order) starts signing; it goes once Retention has passed since.
        var kept = new List<SigningKey>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var retiredAt = i + 1 < keys.Count ? keys[i + 1].ActiveFrom : (DateTime?)null;
            if (retiredAt is { } at && at <= now && now >= at + policy.Retention)
            {
                changed = true;
                continue;
            }

            kept.Add(keys[i]);
        }

        return new SigningKeyPlan(kept, changed, NextReview(kept, now, policy));
    }

    /// <summary>The key that signs at <paramref name="now"/>: the latest whose <see cref="SigningKey.ActiveFrom"/> has come.</summary>
    public static SigningKey? SignerAt(IReadOnlyList<SigningKey> keys, DateTime now)
    {
        SigningKey? signer = null;
        foreach (var key in keys)
        {
            if (key.ActiveFrom <= now && (signer is null || Later(key, signer)))
            {
                signer = key;
            }
        }

        return signer;
    }

    private static DateTime NextReview(List<SigningKey> keys, DateTime now, SigningKeyPolicy policy)
    {
        var next = DateTime.MaxValue;
        var signer = SignerAt(keys, now);
        if (signer is not null && !keys.Any(k => k.ActiveFrom > now))
        {
            next = Min(next, signer.ActiveFrom + policy.RotationInterval - policy.PublishAhead);
        }

        for (var i = 0; i + 1 < keys.Count; i++)
        {
            next = Min(next, keys[i + 1].ActiveFrom + policy.Retention);
        }

        // A successor that starts signing later makes its predecessor's removal time known then; plan at that instant too.
        foreach (var pending in keys.Where(k => k.ActiveFrom > now))
        {
            next = Min(next, pending.ActiveFrom);
        }

        return next < now ? now : next;
    }

    private static List<SigningKey> Ordered(IEnumerable<SigningKey> keys) =>
        [.. keys.OrderBy(k => k.ActiveFrom).ThenBy(k => k.Kid, StringComparer.Ordinal)];

    private static bool Later(SigningKey a, SigningKey b) =>
        a.ActiveFrom > b.ActiveFrom || (a.ActiveFrom == b.ActiveFrom && string.CompareOrdinal(a.Kid, b.Kid) > 0);

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
