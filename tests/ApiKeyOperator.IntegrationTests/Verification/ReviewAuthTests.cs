using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Verification;
using KubeSim;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Verification;

/// <summary>Callers of the review endpoint are authenticated by TokenReview and authorised by SubjectAccessReview (KubeSim's tables).</summary>
public sealed class ReviewAuthTests(ClusterFixture cluster) : VerificationTest(cluster)
{
    [Fact]
    public async Task Caller_without_a_valid_token_gets_401_and_no_verdict()
    {
        var sim = Sim;
        var running = await StartOperatorAsync(KubernetesAuthArgs());
        await CreateApiKeyAsync("billing");
        await WaitForReadyAsync("billing");
        var key = await ReadKeyAsync("billing-key");
        sim.Auth.SetToken($"{Namespace}-expired", AuthUser.ServiceAccount(Namespace, "gone"));
        sim.Auth.RemoveToken($"{Namespace}-expired");

        var anonymous = await Reviews(running).ReviewAsync(key, Ct);
        var unknownToken = await Reviews(running, $"{Namespace}-expired").ReviewAsync(key, Ct);

        foreach (var answer in new[] { anonymous, unknownToken })
        {
            Assert.Equal(401, answer.Code);
            Assert.Contains("\"reason\":\"Unauthorized\"", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Valid", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("billing", answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Caller_granted_only_its_own_namespace_is_told_the_key_is_unknown_while_an_authorised_caller_gets_the_verdict()
    {
        var sim = Sim;
        var elsewhere = Namespace + "-shop";
        var provider = AuthUser.ServiceAccount(Namespace, "provider");
        var prober = AuthUser.ServiceAccount(elsewhere, "prober");
        sim.Auth.SetToken($"{Namespace}-provider-token", provider);
        sim.Auth.SetToken($"{Namespace}-prober-token", prober);
        sim.Auth.Allow(provider.Username, "create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, Namespace);
        sim.Auth.Allow(prober.Username, "create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, elsewhere);
        var running = await StartOperatorAsync(KubernetesAuthArgs());
        await CreateApiKeyAsync("billing", s => s.Scopes = ["invoices:read"]);
        await WaitForReadyAsync("billing");
        var key = await ReadKeyAsync("billing-key");

        var authorised = await Reviews(running, $"{Namespace}-provider-token").ReviewAsync(key, Ct, "invoices:read");
        var foreign = await Reviews(running, $"{Namespace}-prober-token").ReviewAsync(key, Ct, "invoices:read");
        var madeUp = await Reviews(running, $"{Namespace}-prober-token").ReviewAsync(new KeyGenerator().Generate(CredentialFormat.Token, "ak_").ApiKey!, Ct, "invoices:read");

        Assert.Equal(201, authorised.Code);
        Assert.Equal((true, ReviewReason.Valid), (authorised.Status.Allowed, authorised.Reason));
        // The foreign caller learns nothing: the real key gets exactly what a made-up key gets.
        Assert.Equal((201, ReviewReason.Unknown), (foreign.Code, foreign.Reason));
        Assert.Equal(madeUp.Body, foreign.Body);
        Assert.Equal(madeUp.Code, foreign.Code);
        Assert.DoesNotContain("Valid", foreign.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Namespace + "\"", foreign.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("billing", foreign.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(key, Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain($"{Namespace}-provider-token", Logs.Text, StringComparison.Ordinal);
    }
}
