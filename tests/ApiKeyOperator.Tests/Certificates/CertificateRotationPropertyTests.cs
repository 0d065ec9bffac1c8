using ApiKeyOperator.Certificates;
using CsCheck;
using Xunit;

namespace ApiKeyOperator.Tests.Certificates;

/// <summary>
/// The certificate rotation over random histories: rounds at random intervals (minutes to months, as an operator
/// that is sometimes down for long), with the stored state sometimes lost. After every round the invariants of an
/// install that clients can always trust hold.
/// </summary>
public sealed class CertificateRotationPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    // Short lifetimes so that a history of a few dozen rounds crosses several CA generations.
    private static readonly CertificatePolicy Policy = new()
    {
        CaValidity = TimeSpan.FromDays(300),
        CaRenewBefore = TimeSpan.FromDays(100),
        CaOverlap = TimeSpan.FromDays(20),
        ServingValidity = TimeSpan.FromDays(30),
        ServingRenewBefore = TimeSpan.FromDays(10),
    };

    private static readonly ServingIdentity Identity = ServingIdentity.ForServices("apikey-operator-system", ["apikey-operator-review"]);

    [Fact]
    public void Every_round_leaves_a_trusted_valid_serving_certificate_and_no_CA_signs_before_its_overlap()
    {
        // Step: minutes to ~120 days; 1 in 30 rounds starts from lost state (Secrets deleted by hand).
        var step = Gen.Select(Gen.Int[1, 120 * 24 * 60], Gen.Int[0, 29], (minutes, lose) => (Minutes: minutes, Lose: lose == 0));
        step.Array[5, 30].Sample(steps =>
        {
            var now = Start;
            CertificateState? state = null;
            var publishedAt = new Dictionary<string, DateTimeOffset>();
            foreach (var (minutes, lose) in steps)
            {
                now += TimeSpan.FromMinutes(minutes);
                var before = lose || state is null ? new CertificateObservation(null, null, null, null) : CertificateRotationTests.Observed(state);
                var previousSigner = lose ? null : state?.Signer;
                var (next, _) = CertificateRotation.Reconcile(before, Identity, now, Policy);

                foreach (var ca in next.TrustedCas)
                {
                    publishedAt.TryAdd(ca.Thumbprint, now);
                }

                // The serving certificate is valid now, for our names, and chains to the signer, which is published.
                Assert.True(CertificateRotation.IsSignedBy(next.Serving, next.Signer, now), $"serving certificate not valid at {now}");
                Assert.Null(CertificateRotation.ServingProblem(next.Serving, next.Signer, Identity, now, Policy));
                Assert.Equal(next.Signer.Thumbprint, next.TrustedCas[0].Thumbprint);
                Assert.All(next.TrustedCas, ca => Assert.True(CertificateRotation.IsOurCa(ca, now, requireKey: false), $"bundle holds an unusable CA at {now}"));
                Assert.True(next.TrustedCas.Count <= 3);
                Assert.Equal(next.TrustedCas.Count, next.TrustedCas.Select(c => c.Thumbprint).Distinct().Count());

                // A new signer taking over from a still-valid one was published at least the overlap before.
                if (previousSigner is not null && previousSigner.Thumbprint != next.Signer.Thumbprint
                    && CertificateRotation.IsOurCa(previousSigner, now, requireKey: true))
                {
                    Assert.True(now - publishedAt[next.Signer.Thumbprint] >= Policy.CaOverlap, $"a CA signed {now - publishedAt[next.Signer.Thumbprint]} after it was published");
                    // ...and the retired signer stays trusted, so certificates it signed keep working while replicas reload.
                    Assert.Contains(previousSigner.Thumbprint, next.TrustedCas.Select(c => c.Thumbprint));
                }

                // A signer close to its end always has its successor published.
                if (next.Signer.NotAfter.ToUniversalTime() - now.UtcDateTime <= Policy.CaRenewBefore)
                {
                    Assert.NotNull(next.Next);
                }

                state = next;
            }
        }, iter: 10);
    }
}
