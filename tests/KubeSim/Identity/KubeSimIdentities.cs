using System.Collections.Concurrent;

namespace KubeSim;

/// <summary>
/// KubeSim's token authenticator, like kube-apiserver's static token file: bearer token → user, uid, groups and
/// (optionally) the audiences the token is bound to. Used to authenticate requests (and so for RBAC and webhook
/// <c>userInfo</c>) and to answer TokenReview. Every user gets <c>system:authenticated</c>; a ServiceAccount user
/// (<c>system:serviceaccount:NS:NAME</c>) also gets <c>system:serviceaccounts</c> and <c>system:serviceaccounts:NS</c>.
/// Thread-safe.
/// </summary>
public sealed class KubeSimIdentities
{
    private readonly ConcurrentDictionary<string, TokenIdentity> tokens = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="token"/> authenticate as <paramref name="username"/>; a null uid gets a fresh one.</summary>
    /// <param name="token">The bearer token.</param>
    /// <param name="username">The user it authenticates as.</param>
    /// <param name="groups">Its groups (system:authenticated and a ServiceAccount's groups are added).</param>
    /// <param name="uid">Its uid; null: a fresh one.</param>
    /// <param name="audiences">The audiences the token is bound to; null or empty: audience-agnostic (any audience is accepted).</param>
    public AuthUser Add(string token, string username, IEnumerable<string>? groups = null, string? uid = null, IEnumerable<string>? audiences = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(username);
        var user = new AuthUser(username, uid ?? Guid.NewGuid().ToString(), CompleteGroups(username, groups ?? []));
        tokens[token] = new TokenIdentity(user, [.. audiences ?? []]);
        return user;
    }

    /// <summary>Makes <paramref name="token"/> unknown again; true when it was known.</summary>
    public bool Remove(string token) => tokens.TryRemove(token, out _);

    /// <summary>The user a token authenticates as (audiences aside), or null.</summary>
    public AuthUser? Find(string token) => tokens.TryGetValue(token, out var identity) ? identity.User : null;

    /// <summary>Adds every line of a static token file: <c>token,user,uid,"group1,group2"</c> (groups and uid optional).</summary>
    public void Load(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var fields = TokenFileLine.Split(line);
            if (fields.Count < 2 || fields[0].Length == 0 || fields[1].Length == 0)
            {
                throw new FormatException($"line {number}: expected token,user[,uid[,\"group1,group2\"]]");
            }

            var groups = fields.Count > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            Add(fields[0], fields[1], groups, fields.Count > 2 && fields[2].Length > 0 ? fields[2] : null);
        }
    }

    /// <summary>The groups kube-apiserver reports for a user: the given ones plus the implicit ones.</summary>
    public static IReadOnlyList<string> CompleteGroups(string username, IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(username);
        var result = new List<string>();
        foreach (var group in groups)
        {
            if (!result.Contains(group))
            {
                result.Add(group);
            }
        }

        var parts = username.Split(':');
        if (parts is ["system", "serviceaccount", var ns, var name] && ns.Length > 0 && name.Length > 0)
        {
            foreach (var group in new[] { "system:serviceaccounts", $"system:serviceaccounts:{ns}" })
            {
                if (!result.Contains(group))
                {
                    result.Add(group);
                }
            }
        }

        if (!result.Contains("system:authenticated"))
        {
            result.Add("system:authenticated");
        }

        return result;
    }

    internal void SetVerbatim(string token, AuthUser user) => tokens[token] = new TokenIdentity(user, []);

    internal TokenIdentity? Lookup(string token) => tokens.TryGetValue(token, out var identity) ? identity : null;
}
