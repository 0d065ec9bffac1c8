using ApiKeyOperator.Security;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Security;

public sealed class CachingRequestAuthorizerTests
{
    private static readonly AccessRequest ReviewInA = AccessRequest.OnResource("create", "apikeyoperator.io", "apikeyreviews", "a");
    private static readonly AccessRequest ReviewInB = ReviewInA with { Namespace = "b" };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeRequestAuthorizer _inner = new();
    private readonly AuthCacheOptions _options = new() { AllowTtl = TimeSpan.FromSeconds(60), DenyTtl = TimeSpan.FromSeconds(10), Capacity = 16 };
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Allow_and_deny_answers_are_reused_each_for_its_own_time()
    {
        _inner.AddUser("token", "alice", "a");
        var cache = Cache(new TokenReviewBudget(_time, 10, 10));

        var caller = await cache.AuthenticateAsync("token", _ct);
        Assert.Null(await cache.AuthenticateAsync("bad", _ct));
        Assert.Null(await cache.AuthenticateAsync("bad", _ct));
        Assert.Same(caller, await cache.AuthenticateAsync("token", _ct));
        Assert.False(await cache.IsAllowedAsync(caller!, ReviewInB, _ct));
        Assert.False(await cache.IsAllowedAsync(caller!, ReviewInB, _ct));
        Assert.True(await cache.IsAllowedAsync(caller!, ReviewInA, _ct));
        Assert.Equal((2, 2), (_inner.TokenReviews, _inner.AccessReviews));

        // Denials expire first: a new RoleBinding or a fixed token counts after 10 s.
        _time.Advance(_options.DenyTtl);
        await cache.AuthenticateAsync("bad", _ct);
        await cache.AuthenticateAsync("token", _ct);
        await cache.IsAllowedAsync(caller!, ReviewInB, _ct);
        await cache.IsAllowedAsync(caller!, ReviewInA, _ct);
        Assert.Equal((3, 3), (_inner.TokenReviews, _inner.AccessReviews));

        _time.Advance(_options.AllowTtl - _options.DenyTtl);
        await cache.AuthenticateAsync("token", _ct);
        await cache.IsAllowedAsync(caller!, ReviewInA, _ct);
        Assert.Equal((4, 4), (_inner.TokenReviews, _inner.AccessReviews));
    }

    [Fact]
    public async Task Identities_differing_in_groups_are_authorised_separately()
    {
        var cache = Cache(new TokenReviewBudget(_time, 10, 10));
        var plain = new CallerIdentity("bob", null, [], new Dictionary<string, IReadOnlyList<string>>());

        await cache.IsAllowedAsync(plain, ReviewInA, _ct);
        await cache.IsAllowedAsync(plain with { Groups = ["admins"] }, ReviewInA, _ct);
        await cache.IsAllowedAsync(plain, AccessRequest.OnPath("get", "/metrics"), _ct);

        Assert.Equal(3, _inner.AccessReviews);
    }

    [Fact]
    public async Task Unknown_tokens_beyond_the_budget_are_refused_without_a_review_and_known_ones_keep_working()
    {
        _inner.AddUser("token", "alice", "a");
        var cache = Cache(new TokenReviewBudget(_time, ratePerSecond: 2, burst: 5));
        Assert.NotNull(await cache.AuthenticateAsync("token", _ct));

        var refused = 0;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                Assert.Null(await cache.AuthenticateAsync($"bogus-{i}", _ct));
            }
            catch (TokenReviewThrottledException e)
            {
                Assert.Equal(TimeSpan.FromSeconds(0.5), e.RetryAfter);
                refused++;
            }
        }

        Assert.Equal(5, _inner.TokenReviews);
        Assert.Equal(96, refused);
        Assert.NotNull(await cache.AuthenticateAsync("token", _ct));
        // A bogus token already answered is answered from the cache, not from the budget.
        Assert.Null(await cache.AuthenticateAsync("bogus-0", _ct));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await cache.AuthenticateAsync("bogus-after-1s-a", _ct));
        Assert.Null(await cache.AuthenticateAsync("bogus-after-1s-b", _ct));
        await Assert.ThrowsAsync<TokenReviewThrottledException>(() => cache.AuthenticateAsync("bogus-after-1s-c", _ct));
        Assert.Equal(7, _inner.TokenReviews);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_token_share_one_review()
    {
        _inner.AddUser("token", "alice", "a");
        var release = new TaskCompletionSource();
        _inner.Hold = release.Task;
        var cache = Cache(new TokenReviewBudget(_time, 1, 1));

        var waiting = Enumerable.Range(0, 20).Select(_ => cache.AuthenticateAsync("token", _ct)).ToList();
        release.SetResult();
        var callers = await Task.WhenAll(waiting);

        Assert.Equal(1, _inner.TokenReviews);
        Assert.All(callers, c => Assert.Equal("alice", c?.UserName));
    }

    [Fact]
    public async Task Failures_are_not_cached()
    {
        _inner.AddUser("token", "alice", "a");
        _inner.Failure = new HttpRequestException("connection refused");
        var cache = Cache(new TokenReviewBudget(_time, 10, 10));

        await Assert.ThrowsAsync<HttpRequestException>(() => cache.AuthenticateAsync("token", _ct));
        _inner.Failure = null;

        Assert.Equal("alice", (await cache.AuthenticateAsync("token", _ct))?.UserName);
    }

    [Fact]
    public void Cache_stays_within_capacity_and_makes_room_once_entries_expire()
    {
        var cache = new ExpiringCache<int>(_time, 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Set("k" + i, i, TimeSpan.FromSeconds(10));
        }

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("k0", out var first));
        Assert.Equal(0, first);
        Assert.False(cache.TryGet("k9", out _));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(cache.TryGet("k0", out _));
        cache.Set("fresh", 42, TimeSpan.FromSeconds(10));
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("fresh", out var fresh));
        Assert.Equal(42, fresh);
    }

    private CachingRequestAuthorizer Cache(TokenReviewBudget budget) => new(_inner, _time, budget, _options);
}
