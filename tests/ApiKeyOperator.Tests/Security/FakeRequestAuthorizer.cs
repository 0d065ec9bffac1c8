using System.Collections.Concurrent;
using ApiKeyOperator.Security;
using ApiKeyOperator.Verification;

namespace ApiKeyOperator.Tests.Security;

/// <summary>An API server stand-in: known tokens map to users, users are granted access requests; every call is counted.</summary>
internal sealed class FakeRequestAuthorizer : IRequestAuthorizer
{
    private readonly ConcurrentDictionary<string, CallerIdentity> _tokens = new();
    private readonly ConcurrentDictionary<(string User, AccessRequest Request), bool> _grants = new();
    private readonly ConcurrentQueue<AccessRequest> _accessRequests = new();
    private int _tokenReviews;

    public int TokenReviews => _tokenReviews;

    public int AccessReviews => _accessRequests.Count;

    /// <summary>Every SubjectAccessReview asked, in order.</summary>
    public IReadOnlyList<AccessRequest> AccessRequests => [.. _accessRequests];

    /// <summary>When set, calls fail with it (API server unreachable, timed out …).</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, TokenReviews wait for it (to hold reviews in flight).</summary>
    public Task? Hold { get; set; }

    /// <summary>A user whose token authenticates, allowed to review keys in <paramref name="namespaces"/>.</summary>
    public CallerIdentity AddUser(string token, string userName, params string[] namespaces)
    {
        var caller = new CallerIdentity(userName, "uid-" + userName, ["system:serviceaccounts"], new Dictionary<string, IReadOnlyList<string>>());
        _tokens[token] = caller;
        foreach (var ns in namespaces)
        {
            Grant(userName, AccessRequest.OnResource("create", ApiKeyReview.GroupName, ApiKeyReview.ResourcePlural, ns));
        }

        return caller;
    }

    public void Grant(string userName, AccessRequest request) => _grants[(userName, request)] = true;

    public async Task<CallerIdentity?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenReviews);
        if (Hold is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        return Failure is not null ? throw Failure : _tokens.TryGetValue(bearerToken, out var caller) ? caller : null;
    }

    public Task<bool> IsAllowedAsync(CallerIdentity caller, AccessRequest request, CancellationToken cancellationToken)
    {
        _accessRequests.Enqueue(request);
        return Failure is not null
            ? Task.FromException<bool>(Failure)
            : Task.FromResult(_grants.ContainsKey((caller.UserName, request)));
    }
}
