using Microsoft.AspNetCore.Http;

namespace KubeSim;

/// <summary>
/// Who a request acts as. A bearer token in <see cref="KubeSimIdentities"/> is that user; no token, or the
/// token <c>kubesim</c>, is the cluster admin (group <c>system:masters</c>); any other token is taken as the
/// user name (KubeSim's original behaviour) unless unknown tokens are refused, which answers 401.
/// <c>Impersonate-User</c> (with <c>Impersonate-Group</c>, <c>Impersonate-Uid</c>, <c>Impersonate-Extra-*</c>)
/// wins, as it does for a caller allowed to impersonate.
/// </summary>
internal sealed class RequestAuthenticator(KubeSimIdentities identities, bool rejectUnknownTokens)
{
    public const string AdminName = "kubesim";
    private const string ItemKey = "kubesim.user";

    /// <summary>The cluster admin KubeSim's own kubeconfig and token-less requests act as.</summary>
    public static AuthUser Admin { get; } = new(AdminName, "", ["system:masters", "system:authenticated"]);

    /// <summary>Authenticates once per request (401 for an unknown token when those are refused) and remembers the answer.</summary>
    public AuthUser Authenticate(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is AuthUser user)
        {
            return user;
        }

        user = Resolve(context);
        context.Items[ItemKey] = user;
        return user;
    }

    /// <summary>The user a request was authenticated as, or null when authentication did not run or failed.</summary>
    public static AuthUser? Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var known) && known is AuthUser user ? user : null;

    private AuthUser Resolve(HttpContext context)
    {
        var token = BearerToken(context);
        AuthUser caller;
        if (token is null || token == AdminName)
        {
            caller = Admin;
        }
        else if (identities.Lookup(token) is { } identity)
        {
            caller = identity.User;
        }
        else if (rejectUnknownTokens)
        {
            throw new ApiException(401, "Unauthorized", "Unauthorized");
        }
        else
        {
            caller = new AuthUser(token, "", KubeSimIdentities.CompleteGroups(token, []));
        }

        var headers = context.Request.Headers;
        if (headers["Impersonate-User"].FirstOrDefault() is not { Length: > 0 } impersonated)
        {
            return caller;
        }

        var groups = headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!);
        var extra = headers.Where(h => h.Key.StartsWith("Impersonate-Extra-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(
                h => Uri.UnescapeDataString(h.Key["Impersonate-Extra-".Length..]).ToLowerInvariant(),
                h => (IReadOnlyList<string>)[.. h.Value.Select(v => v ?? "")]);
        return new AuthUser(impersonated, headers["Impersonate-Uid"].FirstOrDefault() ?? "", KubeSimIdentities.CompleteGroups(impersonated, groups))
        {
            Extra = extra,
        };
    }

    /// <summary>The bearer token of a request, or null.</summary>
    public static string? BearerToken(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        return authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
    }
}
