using System.Diagnostics;
using System.Net;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Verification;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Security;

/// <summary>A flood of made-up bearer tokens costs the API server a bounded number of TokenReviews, not one each.</summary>
public sealed class TokenFloodTests(ClusterFixture cluster) : SecureOperatorTest(cluster)
{
    private const int BogusTokens = 2000;
    private const double Qps = 20;
    private const int Burst = 100;

    [Fact]
    public async Task Two_thousand_bogus_tokens_cost_at_most_the_budget_of_TokenReviews_and_a_known_provider_keeps_working()
    {
        // Its own identity, so that only this operator's TokenReviews are counted in the shared log.
        var user = $"system:serviceaccount:{Namespace}:flooded-operator";
        var args = SecureArgs("--token-review-qps", "20", "--token-review-burst", "100");
        args[Array.IndexOf(args, "--kubeconfig") + 1] = KubeconfigFor(user);
        var (token, provider) = ServiceAccount("gateway");
        Sim.Auth.Allow(provider.Username, "create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, Namespace);
        var running = await StartOperatorAsync(args);
        var bundle = await PublishedBundleAsync();
        var known = Trusting(bundle, running.ReviewUrl!, token);
        await Eventually.WaitAsync(async ct => (await known.ReviewAsync("ak_not-a-key", ct)).Code == 201, Timeout, "the provider's first review", Ct);
        int TokenReviews() => Sim.Requests.Snapshot().Count(r => r.User == user && r.Resource == "tokenreviews");
        var before = TokenReviews();

        var codes = new int[BogusTokens];
        var clients = Enumerable.Range(0, 16).Select(i => Trusting(bundle, running.ReviewUrl!)).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, BogusTokens, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ReviewRequestHandler.Path.TrimStart('/'))
            {
                Content = new StringContent("""{"apiVersion":"apikeyoperator.io/v1alpha1","kind":"ApiKeyReview","spec":{"key":"x"}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", $"bogus-{i}-{Guid.NewGuid():N}");
            codes[i] = await clients[i % clients.Count].SendAsync(request, ct);
        });
        var elapsed = clock.Elapsed;
        var duringFlood = await known.ReviewAsync("ak_not-a-key", Ct);
        var reviews = TokenReviews() - before;

        var bound = Burst + (Qps * elapsed.TotalSeconds) + 1;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{BogusTokens} bogus tokens in {elapsed.TotalSeconds:F2} s: {reviews} TokenReviews (bound {bound:F0}); {codes.Count(c => c == 401)} answered 401, {codes.Count(c => c == 429)} answered 429");
        Assert.True(reviews <= bound, $"{reviews} TokenReviews for {BogusTokens} bogus tokens in {elapsed.TotalSeconds:F2} s exceed the budget {bound:F0}");
        Assert.True(reviews >= Burst / 2, $"only {reviews} TokenReviews: the flood did not reach the API server at all");
        Assert.All(codes, c => Assert.True(c is 401 or 429, $"a bogus token got HTTP {c}"));
        Assert.Equal(reviews, codes.Count(c => c == 401));
        Assert.Equal(201, duringFlood.Code);
    }
}
