namespace KubeSim;

/// <summary>Who a bearer token belongs to, as a TokenReview reports it (<c>status.user</c>) and webhooks see it (<c>userInfo</c>).</summary>
public sealed record AuthUser(string Username, string Uid, IReadOnlyList<string> Groups)
{
    /// <summary><c>userInfo.extra</c>: extra attributes (e.g. from Impersonate-Extra-* headers).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A ServiceAccount user the way the API server names it, with its usual groups.</summary>
    public static AuthUser ServiceAccount(string @namespace, string name) =>
        new($"system:serviceaccount:{@namespace}:{name}", Guid.NewGuid().ToString(), ["system:serviceaccounts", $"system:serviceaccounts:{@namespace}", "system:authenticated"]);
}
