namespace KubeSim;

/// <summary>Who a bearer token belongs to, as a TokenReview reports it (<c>status.user</c>).</summary>
public sealed record AuthUser(string Username, string Uid, IReadOnlyList<string> Groups)
{
    /// <summary>A ServiceAccount user the way the API server names it, with its usual groups.</summary>
    public static AuthUser ServiceAccount(string @namespace, string name) =>
        new($"system:serviceaccount:{@namespace}:{name}", Guid.NewGuid().ToString(), ["system:serviceaccounts", $"system:serviceaccounts:{@namespace}", "system:authenticated"]);
}
