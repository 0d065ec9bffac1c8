using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace ApiKeyOperator.Certificates;

/// <summary>
/// The certificate decisions, free of I/O (it only creates keys): given what is stored and the time, what should
/// be stored. The CA is replaced with overlap: once the signer has less than <see cref="CertificatePolicy.CaRenewBefore"/>
/// left, a successor is created and published in the bundle; it signs only after <see cref="CertificatePolicy.CaOverlap"/>,
/// and the retired signer stays in the bundle until it expires, so certificates it signed stay trusted while
/// replicas reload. The serving certificate is reissued before it expires, when it is not signed by the signer
/// (a planted or stale one), or when its names differ. Anything unreadable, expired or not made by the operator
/// is replaced, never trusted.
/// </summary>
public static class CertificateRotation
{
    public static (CertificateState State, IReadOnlyList<string> Changes) Reconcile(
        CertificateObservation observed, ServingIdentity identity, DateTimeOffset now, CertificatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(policy);
        var changes = new List<string>();
        var signer = IsOurCa(observed.Signer, now, requireKey: true) ? observed.Signer : null;
        var next = IsOurCa(observed.Next, now, requireKey: true) ? observed.Next : null;
        var previous = IsOurCa(observed.Previous, now, requireKey: false) ? observed.Previous : null;
        if (observed.Next is not null && next is null)
        {
            changes.Add("dropped an unusable successor CA");
        }

        if (signer is null)
        {
            if (next is not null)
            {
                // The signer died before the overlap ended (the operator was down): the successor is the best there is.
                changes.Add("the signing CA is unusable; its published successor signs from now on");
                (signer, next) = (next, null);
            }
            else
            {
                changes.Add(observed.Signer is null ? "created the CA" : "the signing CA is unusable (expired, keyless or not ours); created a new one");
                signer = CertificateFactory.CreateCa(now, policy);
            }
        }
        else if (next is not null && now >= PublishedAt(next, policy) + policy.CaOverlap)
        {
            changes.Add($"the successor CA has been published for {policy.CaOverlap.TotalDays:0} days and signs from now on");
            (previous, signer, next) = (signer, next, null);
        }

        if (next is null && signer.NotAfter.ToUniversalTime() - now.UtcDateTime <= policy.CaRenewBefore)
        {
            changes.Add("published a successor CA; it signs once the overlap has passed");
            next = CertificateFactory.CreateCa(now, policy);
        }

        if (previous is not null && (previous.Thumbprint == signer.Thumbprint || previous.Thumbprint == next?.Thumbprint))
        {
            previous = null;
        }

        var serving = observed.Serving;
        if (ServingProblem(serving, signer, identity, now, policy) is { } problem)
        {
            changes.Add($"issued the serving certificate ({problem})");
            serving = CertificateFactory.IssueServing(signer, identity.DnsNames, identity.Addresses, now, policy);
        }

        return (new CertificateState(signer, next, previous, serving!), changes);
    }

    /// <summary>When a CA was published: it is created at publication, backdated by the clock skew.</summary>
    public static DateTimeOffset PublishedAt(X509Certificate2 ca, CertificatePolicy policy) =>
        new DateTimeOffset(ca.NotBefore.ToUniversalTime(), TimeSpan.Zero) + policy.ClockSkew;

    /// <summary>Whether <paramref name="ca"/> is a CA this operator made and can use at <paramref name="now"/>.</summary>
    public static bool IsOurCa(X509Certificate2? ca, DateTimeOffset now, bool requireKey) =>
        ca is not null
        && (!requireKey || ca.HasPrivateKey)
        && ca.SubjectName.Name.Contains($"CN={CertificateNames.CaCommonName}", StringComparison.Ordinal)
        && ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData)
        && ca.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority)
        && ca.NotBefore.ToUniversalTime() <= now.UtcDateTime
        && now.UtcDateTime < ca.NotAfter.ToUniversalTime();

    /// <summary>Why the serving certificate must be reissued, or null when it is good.</summary>
    public static string? ServingProblem(X509Certificate2? serving, X509Certificate2 signer, ServingIdentity identity, DateTimeOffset now, CertificatePolicy policy)
    {
        if (serving is null)
        {
            return "none was stored";
        }

        if (!serving.HasPrivateKey)
        {
            return "its private key is missing";
        }

        var notAfter = serving.NotAfter.ToUniversalTime();
        if (notAfter <= now.UtcDateTime)
        {
            return "it has expired";
        }

        // Within the renewal window, unless it already lasts as long as its signer (then only the successor CA,
        // once it may sign, can do better; reissuing every round would change nothing).
        if (notAfter - now.UtcDateTime <= policy.ServingRenewBefore && notAfter < signer.NotAfter.ToUniversalTime().AddSeconds(-1))
        {
            return "it expires soon";
        }

        if (!IsSignedBy(serving, signer, now))
        {
            return "it is not signed by the signing CA";
        }

        return NamesOf(serving).SetEquals(identity.DnsNames.Concat(identity.Addresses.Select(a => a.ToString())))
            ? null
            : "its names differ from the Services'";
    }

    /// <summary>Whether <paramref name="leaf"/> chains to <paramref name="ca"/> alone and is valid at <paramref name="now"/>.</summary>
    public static bool IsSignedBy(X509Certificate2 leaf, X509Certificate2 ca, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(leaf) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }

    private static HashSet<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var san in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.UnionWith(san.EnumerateDnsNames());
            names.UnionWith(san.EnumerateIPAddresses().Select(a => a.ToString()));
        }

        return names;
    }
}
