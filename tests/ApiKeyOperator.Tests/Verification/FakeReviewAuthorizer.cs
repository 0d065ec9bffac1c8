using System.Collections.Concurrent;
using ApiKeyOperator.Security;
using ApiKeyOperator.Verification;

namespace ApiKeyOperator.Tests.Verification;

/// <summary>An API server stand-in: known tokens map to users, users are granted namespaces.</summary>
internal sealed class FakeReviewAuthorizer : IReviewAuthorizer
{
    private readonly ConcurrentDictionary<string, CallerIdentity> _tokens = new();
    private readonly ConcurrentDictionary<(string User, string Namespace), bool> _grants = new();
    private int _tokenReviews;
    private int _accessReviews;

    public int TokenReviews => _tokenReviews;

    public int AccessReviews => _accessReviews;

    /// <summary>When set, TokenReview calls fail with it (API server unreachable, timed out …).</summary>
    public Exception? Failure { get; set; }

    public void AddUser(string token, string userName, params string[] namespaces)
    {
        _tokens[token] = new CallerIdentity(userName, "uid-" + userName, ["system:serviceaccounts"], new Dictionary<string, IReadOnlyList<string>>());
        foreach (var ns in namespaces)
        {
            _grants[(userName, ns)] = true;
        }
    }

    public Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenReviews);
        return Failure is not null
            ? Task.FromException<CallerIdentity?>(Failure)
            : Task.FromResult(_tokens.TryGetValue(bearerToken, out var caller) ? caller : null);
    }

    public Task<bool> IsAllowedAsync(CallerIdentity caller, string namespaceName, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _accessReviews);
        return Task.FromResult(_grants.ContainsKey((caller.UserName, namespaceName)));
    }
}
