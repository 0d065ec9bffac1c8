using System.Collections.Concurrent;

namespace KubeSim;

/// <summary>
/// What KubeSim's TokenReview and SubjectAccessReview endpoints answer, set by tests: bearer token → user, and
/// (user, verb, group, resource, namespace) → allowed or denied. Everything not in the tables is
/// unauthenticated or has no opinion (not allowed), as with an API server that has no matching binding.
/// Thread-safe: tests sharing one server each use their own tokens and users. Tokens live in the server's
/// <see cref="KubeSimIdentities"/>, so a token set here also authenticates requests.
/// </summary>
public sealed class AuthTables
{
    private readonly KubeSimIdentities tokens;
    private readonly ConcurrentDictionary<AccessAttributes, bool> access = new();

    internal AuthTables(KubeSimIdentities identities)
    {
        tokens = identities;
    }

    internal KubeSimIdentities Identities => tokens;

    /// <summary>Makes <paramref name="token"/> authenticate as <paramref name="user"/>, exactly as given (groups are not completed).</summary>
    public void SetToken(string token, AuthUser user)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(user);
        tokens.SetVerbatim(token, user);
    }

    /// <summary>Makes <paramref name="token"/> unknown again.</summary>
    public void RemoveToken(string token) => tokens.Remove(token);

    /// <summary>The user of a token, or null when it does not authenticate.</summary>
    public AuthUser? Authenticate(string token) => tokens.Find(token);

    /// <summary>Records the decision for one access; false is an explicit denial.</summary>
    public void SetAccess(AccessAttributes attributes, bool allowed)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        access[attributes] = allowed;
    }

    /// <summary>Grants <paramref name="user"/> one verb on one resource in one namespace (null: in every namespace).</summary>
    public void Allow(string user, string verb, string group, string resource, string? @namespace) =>
        SetAccess(new AccessAttributes(user, verb, group, resource, @namespace), true);

    /// <summary>Forgets the decision for one access.</summary>
    public void RemoveAccess(AccessAttributes attributes) => access.TryRemove(attributes, out _);

    /// <summary>
    /// The decision for a request: an entry for its exact namespace wins over a cluster-wide one; null when
    /// no entry matches (no opinion).
    /// </summary>
    public bool? Decide(AccessAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Namespace is not null && access.TryGetValue(request, out var exact))
        {
            return exact;
        }

        return access.TryGetValue(request with { Namespace = null }, out var clusterWide) ? clusterWide : null;
    }
}
