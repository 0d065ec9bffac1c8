using ApiKeyOperator.Verification.Signing;
using CsCheck;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class SigningKeyPlannerTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);
    private static readonly SigningKeyPolicy Policy = new(TimeSpan.FromDays(30), TimeSpan.FromHours(24), MaxLifetime + SigningKeyPolicy.ClockSkew);

    private int _generated;

    [Fact]
    public void First_plan_creates_a_key_that_signs_at_once()
    {
        var plan = SigningKeyPlanner.Plan([], T0, Policy, Generate(T0));

        var key = Assert.Single(plan.Keys);
        Assert.True(plan.Changed);
        Assert.Equal(T0, key.ActiveFrom);
        Assert.Equal(key, SigningKeyPlanner.SignerAt(plan.Keys, T0));
        Assert.Equal(T0 + Policy.RotationInterval - Policy.PublishAhead, plan.NextReviewAt);
    }

    [Fact]
    public void Successor_is_published_ahead_and_signs_only_when_due()
    {
        var first = SigningKeyPlanner.Plan([], T0, Policy, Generate(T0)).Keys;
        var before = T0 + Policy.RotationInterval - Policy.PublishAhead - TimeSpan.FromSeconds(1);
        Assert.False(SigningKeyPlanner.Plan(first, before, Policy, Generate(before)).Changed);

        var publishAt = before + TimeSpan.FromSeconds(1);
        var plan = SigningKeyPlanner.Plan(first, publishAt, Policy, Generate(publishAt));

        Assert.True(plan.Changed);
        Assert.Equal(2, plan.Keys.Count);
        var successor = plan.Keys[1];
        Assert.Equal(T0 + Policy.RotationInterval, successor.ActiveFrom);
        Assert.Equal(first[0], SigningKeyPlanner.SignerAt(plan.Keys, successor.ActiveFrom - TimeSpan.FromTicks(1)));
        Assert.Equal(successor, SigningKeyPlanner.SignerAt(plan.Keys, successor.ActiveFrom));
        Assert.Equal(successor.ActiveFrom, plan.NextReviewAt);
    }

    [Fact]
    public void Previous_key_stays_until_every_token_it_signed_has_expired()
    {
        var keys = SigningKeyPlanner.Plan([], T0, Policy, Generate(T0)).Keys;
        var publishAt = T0 + Policy.RotationInterval - Policy.PublishAhead;
        keys = SigningKeyPlanner.Plan(keys, publishAt, Policy, Generate(publishAt)).Keys;
        var switchAt = keys[1].ActiveFrom;

        var lastMoment = switchAt + Policy.Retention - TimeSpan.FromTicks(1);
        Assert.Equal(2, SigningKeyPlanner.Plan(keys, lastMoment, Policy, Generate(lastMoment)).Keys.Count);
        var plan = SigningKeyPlanner.Plan(keys, switchAt + Policy.Retention, Policy, Generate(switchAt + Policy.Retention));

        Assert.True(plan.Changed);
        Assert.Equal(keys[1], Assert.Single(plan.Keys));
    }

    [Fact]
    public void After_a_long_outage_the_old_key_keeps_signing_until_the_new_one_has_been_published_ahead()
    {
        var keys = SigningKeyPlanner.Plan([], T0, Policy, Generate(T0)).Keys;
        var back = T0 + (Policy.RotationInterval * 3);

        var plan = SigningKeyPlanner.Plan(keys, back, Policy, Generate(back));

        Assert.Equal(keys[0], SigningKeyPlanner.SignerAt(plan.Keys, back));
        Assert.Equal(back + Policy.PublishAhead, plan.Keys[1].ActiveFrom);
    }

    [Fact]
    public void Clock_before_every_key_gets_a_key_that_signs_now_and_keeps_the_others()
    {
        var future = new SigningKey("future", SigningKey.Es256, T0, T0 + TimeSpan.FromHours(2), "pem");

        var plan = SigningKeyPlanner.Plan([future], T0, Policy, Generate(T0));

        Assert.Contains(future, plan.Keys);
        Assert.Equal(T0, SigningKeyPlanner.SignerAt(plan.Keys, T0)!.ActiveFrom);
    }

    /// <summary>
    /// Model check over random leader schedules (gaps from instant to several rotation intervals: outages,
    /// restarts) and replicas that read the Secret late: at every moment some published key signs; a key signs only
    /// after it has been published for PublishAhead (but for a key created when nothing could sign); every token a
    /// replica signs stays verifiable (its key stays in the Secret) until it expires; the set stays small.
    /// </summary>
    [Fact]
    public void Every_token_stays_verifiable_until_it_expires_whatever_the_schedule()
    {
        var policies = Gen.Select(Gen.Int[2, 40], Gen.Int[1, 10], (interval, ahead) =>
            new SigningKeyPolicy(TimeSpan.FromMinutes(interval), TimeSpan.FromMinutes(Math.Min(ahead, interval - 1) + 0.5), TimeSpan.FromMinutes(30) + TimeSpan.FromMinutes(1)));
        var gaps = Gen.Int[0, 120].Array[1, 80];
        Gen.Select(policies, gaps, Gen.Int[0, 20]).Sample((policy, gapMinutes, lagSeconds) =>
        {
            var lifetime = TimeSpan.FromMinutes(30);
            var lag = TimeSpan.FromSeconds(lagSeconds);
            var writes = new List<(DateTime At, IReadOnlyList<SigningKey> Keys)>();
            var firstSeen = new Dictionary<string, DateTime>();
            var now = T0;
            IReadOnlyList<SigningKey> stored = [];
            var counter = 0;
            foreach (var gap in gapMinutes)
            {
                now += TimeSpan.FromMinutes(gap);
                var at = now;
                var plan = SigningKeyPlanner.Plan(stored, now, policy, activeFrom =>
                    new SigningKey($"k{++counter:D4}", SigningKey.Es256, at, activeFrom, "pem"));
                if (plan.Changed)
                {
                    stored = plan.Keys;
                    writes.Add((now, stored));
                    foreach (var key in stored)
                    {
                        firstSeen.TryAdd(key.Kid, now);
                    }
                }

                if (stored.Count > 3 + (int)Math.Ceiling(policy.Retention / policy.RotationInterval))
                {
                    return false;
                }
            }

            // Walk time in one-minute steps through the whole schedule; a replica sees the write made `lag` ago.
            for (var t = T0; t <= now; t += TimeSpan.FromMinutes(1))
            {
                var current = writes.LastOrDefault(w => w.At <= t).Keys;
                var replicaView = writes.LastOrDefault(w => w.At <= t - lag).Keys ?? current;
                if (current is null)
                {
                    continue;
                }

                var signer = SigningKeyPlanner.SignerAt(replicaView!, t);
                if (signer is null || SigningKeyPlanner.SignerAt(current, t) is null)
                {
                    return false;
                }

                // A key not created in a "nothing can sign" moment was published PublishAhead before it signs.
                if (signer.ActiveFrom != signer.CreatedAt && signer.ActiveFrom - firstSeen[signer.Kid] < policy.PublishAhead)
                {
                    return false;
                }

                // The token signed now must verify (its key present in the Secret) at every later write until it expires.
                var expiry = t + lifetime;
                if (writes.Where(w => w.At > t && w.At < expiry).Any(w => !w.Keys.Any(k => k.Kid == signer.Kid)))
                {
                    return false;
                }
            }

            return true;
        }, iter: 300);
    }

    private Func<DateTime, SigningKey> Generate(DateTime now) =>
        activeFrom => new SigningKey($"key{++_generated}", SigningKey.Es256, now, activeFrom, "pem");
}
