using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Verification;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Security;

/// <summary>The review endpoint as installed: HTTPS with the operator's own CA, which providers trust from a ConfigMap.</summary>
public sealed class ReviewTlsTests(ClusterFixture cluster) : SecureOperatorTest(cluster)
{
    [Fact]
    public async Task Reviews_are_served_over_https_that_a_provider_trusting_the_published_CA_accepts_and_no_one_else()
    {
        var (token, provider) = ServiceAccount("gateway");
        Sim.Auth.Allow(provider.Username, "create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, Namespace);
        var running = await StartOperatorAsync(SecureArgs());
        await CreateApiKeyAsync("billing");
        await WaitForReadyAsync("billing");
        var key = Encoding.UTF8.GetString((await Resources<V1Secret>().GetAsync(Key("billing-key"), Ct))!.Data[SecretDataKeys.ApiKey]);
        var bundle = await PublishedBundleAsync();
        var reviewUrl = running.ReviewUrl!;

        var trusting = Trusting(bundle, reviewUrl, token);
        var (code, body) = await Eventually.GetAsync(
            async ct => await trusting.ReviewAsync(key, ct) is { Code: 201 } answer ? Tuple.Create(answer.Code, answer.Body) : null, Timeout, "a review over TLS", Ct);

        Assert.Equal("https", reviewUrl.Scheme);
        Assert.Contains("\"reason\":\"Valid\"", body, StringComparison.Ordinal);
        Assert.Equal(201, code);
        var served = trusting.ServedCertificate!;
        Assert.Contains(served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames(),
            n => n == $"apikey-operator-review.{Namespace}.svc");
        // A client that trusts only the system roots refuses it; plain HTTP on the TLS port gets no review.
        using var systemTrust = new HttpClient { BaseAddress = reviewUrl };
        await Assert.ThrowsAsync<HttpRequestException>(() => systemTrust.GetAsync(new Uri("/", UriKind.Relative), Ct));
        using var plain = new HttpClient { BaseAddress = new UriBuilder(reviewUrl) { Scheme = "http" }.Uri };
        Assert.NotEqual(201, await StatusOrZeroAsync(() => plain.PostAsync(ReviewRequestHandler.Path, new StringContent("{}"), Ct)));
        // The CA's private key is nowhere but in its Secret: not in the bundle ConfigMap, not in the serving Secret.
        var servingSecret = await Resources<V1Secret>().GetAsync(Key(CertificateNames.ServingSecret), Ct);
        Assert.Equal("kubernetes.io/tls", servingSecret!.Type);
        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], servingSecret.Data.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(key, Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_planted_CA_and_an_expired_serving_certificate_are_replaced_by_the_leader_and_served_no_more()
    {
        var (token, provider) = ServiceAccount("gateway");
        Sim.Auth.Allow(provider.Username, "create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, Namespace);
        var running = await StartOperatorAsync(SecureArgs());
        var genuine = await PublishedBundleAsync();
        using var attackerCa = AttackerCa();
        var expired = CertificateFactory.IssueServing(attackerCa, ["localhost"], [System.Net.IPAddress.Loopback], DateTimeOffset.UtcNow.AddDays(-100), new CertificatePolicy());

        // Someone with write access to the operator's namespace adds their CA to the published bundle and puts an
        // expired certificate of theirs in the serving Secret.
        var map = await Resources<V1ConfigMap>().GetAsync(Key(CertificateNames.CaConfigMap), Ct);
        map!.Data[CertificateNames.CaBundleKey] += attackerCa.ExportCertificatePem();
        await Resources<V1ConfigMap>().ReplaceAsync(map, Ct);
        var serving = await Resources<V1Secret>().GetAsync(Key(CertificateNames.ServingSecret), Ct);
        serving!.Data[CertificateNames.TlsCertKey] = Encoding.UTF8.GetBytes(expired.ExportCertificatePem());
        serving.Data[CertificateNames.TlsKeyKey] = Encoding.UTF8.GetBytes(expired.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        serving.Data[CertificateNames.CaBundleKey] = Encoding.UTF8.GetBytes(attackerCa.ExportCertificatePem());
        await Resources<V1Secret>().ReplaceAsync(serving, Ct);

        var repaired = await Eventually.GetAsync(
            async ct =>
            {
                var bundle = await PublishedBundleAsync();
                var stored = await Resources<V1Secret>().GetAsync(Key(CertificateNames.ServingSecret), ct);
                var certificate = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(stored!.Data[CertificateNames.TlsCertKey]));
                return bundle.Count == genuine.Count && certificate.Issuer != attackerCa.Subject && certificate.NotAfter > DateTime.UtcNow ? bundle : null;
            },
            Timeout, "the leader's repair of the bundle and the serving Secret", Ct);

        Assert.Equal(genuine.Select(c => c.Thumbprint), repaired.Select(c => c.Thumbprint));
        Assert.DoesNotContain(attackerCa.Thumbprint, repaired.Select(c => c.Thumbprint));
        var trusting = Trusting(repaired, running.ReviewUrl!, token);
        Assert.Equal(201, (await trusting.ReviewAsync("ak_not-a-key", Ct)).Code);
        Assert.NotEqual(expired.Thumbprint, trusting.ServedCertificate!.Thumbprint);
        Assert.True(trusting.ServedCertificate.NotAfter > DateTime.UtcNow);
        Assert.Contains("issued the serving certificate (it has expired)", Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follower_serves_the_certificate_its_leader_stored()
    {
        var leaderArgs = SecureArgs("--leader-elect", "--leader-election-namespace", Namespace);
        var first = await StartOperatorAsync(leaderArgs);
        await Eventually.WaitAsync(_ => Task.FromResult(first.Host.IsReconciling), Timeout, "the first replica leads", Ct);
        var second = await StartOperatorAsync(SecureArgs("--leader-elect", "--leader-election-namespace", Namespace));
        var bundle = await PublishedBundleAsync();

        var leaderServes = Trusting(bundle, first.ReviewUrl!);
        var followerServes = Trusting(bundle, second.ReviewUrl!);
        await Eventually.WaitAsync(
            async ct => (await followerServes.ReviewAsync("ak_not-a-key", ct)).Code == 401, Timeout, "the follower's TLS listener answers", Ct);
        Assert.Equal(401, (await leaderServes.ReviewAsync("ak_not-a-key", Ct)).Code);

        Assert.False(second.Host.IsReconciling);
        Assert.Equal(leaderServes.ServedCertificate!.Thumbprint, followerServes.ServedCertificate!.Thumbprint);
        var readyz = await new HttpClient().GetStringAsync(new Uri(second.HealthUrl!, "readyz"), Ct);
        Assert.Contains("[+]serving-certificate ok", readyz, StringComparison.Ordinal);
    }

    private static X509Certificate2 AttackerCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={CertificateNames.CaCommonName}@1", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    private static async Task<int> StatusOrZeroAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
