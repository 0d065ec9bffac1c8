using ApiKeyOperator.Verification;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Verification;

public sealed class CachingReviewAuthorizerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeReviewAuthorizer _inner = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Answers_are_reused_until_the_ttl_passes_including_denials()
    {
        _inner.AddUser("token", "alice", "a");
        var cache = new CachingReviewAuthorizer(_inner, _time, TimeSpan.FromSeconds(10), 16);

        var caller = await cache.AuthenticateAsync("token", _ct);
        Assert.Null(await cache.AuthenticateAsync("bad", _ct));
        Assert.Null(await cache.AuthenticateAsync("bad", _ct));
        Assert.Same(caller, await cache.AuthenticateAsync("token", _ct));
        Assert.False(await cache.IsAllowedAsync(caller!, "b", _ct));
        Assert.False(await cache.IsAllowedAsync(caller!, "b", _ct));
        Assert.True(await cache.IsAllowedAsync(caller!, "a", _ct));
        Assert.Equal(2, _inner.TokenReviews);
        Assert.Equal(2, _inner.AccessReviews);

        _time.Advance(TimeSpan.FromSeconds(10));
        await cache.AuthenticateAsync("token", _ct);
        await cache.IsAllowedAsync(caller!, "a", _ct);
        Assert.Equal(3, _inner.TokenReviews);
        Assert.Equal(3, _inner.AccessReviews);
    }

    [Fact]
    public async Task Identities_differing_in_groups_are_authorised_separately()
    {
        var cache = new CachingReviewAuthorizer(_inner, _time, TimeSpan.FromSeconds(10), 16);
        var plain = new CallerIdentity("bob", null, [], new Dictionary<string, IReadOnlyList<string>>());

        await cache.IsAllowedAsync(plain, "a", _ct);
        await cache.IsAllowedAsync(plain with { Groups = ["admins"] }, "a", _ct);

        Assert.Equal(2, _inner.AccessReviews);
    }

    [Fact]
    public void Cache_stays_within_capacity_and_makes_room_once_entries_expire()
    {
        var cache = new ExpiringCache<int>(_time, TimeSpan.FromSeconds(10), 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Set("k" + i, i);
        }

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("k0", out var first));
        Assert.Equal(0, first);
        Assert.False(cache.TryGet("k9", out _));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(cache.TryGet("k0", out _));
        cache.Set("fresh", 42);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("fresh", out var fresh));
        Assert.Equal(42, fresh);
    }
}
