namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// What RBAC authorizes for one HTTP call to the API server, derived the way the API server's request-info
/// resolution does: group, resource (with subresource), verb, and namespace (null when cluster-scoped).
/// </summary>
public sealed record ApiRequestAttributes(RbacGrant Grant, string? Namespace)
{
    /// <summary>The attributes of a resource request, or null for discovery, OpenAPI and other non-resource paths.</summary>
    public static ApiRequestAttributes? FromHttp(string method, string pathAndQuery)
    {
        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
        var query = queryStart < 0 ? string.Empty : pathAndQuery[(queryStart + 1)..];
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        // /api/v1/... is the core group; /apis/{group}/{version}/... every other one.
        (string Group, int Skip) prefix = parts switch
        {
            ["api", _, _, ..] => (string.Empty, 2),
            ["apis", var group, _, _, ..] => (group, 3),
            _ => (string.Empty, -1),
        };
        if (prefix.Skip < 0)
        {
            return null;
        }

        var rest = parts[prefix.Skip..];
        var watchPath = rest[0] == "watch";
        if (watchPath)
        {
            rest = rest[1..];
        }

        if (rest.Length == 0)
        {
            return null;
        }

        string? @namespace = null;
        if (rest is ["namespaces", var ns, _, ..])
        {
            @namespace = ns;
            rest = rest[2..];
        }

        // rest is now resource [name [subresource]]; a Namespace object itself is "namespaces/{name}".
        var resource = rest.Length >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
        var named = rest.Length >= 2;
        var isWatch = watchPath || query.Split('&').Any(p => p is "watch=true" or "watch=1");
        var verb = method.ToUpperInvariant() switch
        {
            "GET" or "HEAD" when isWatch => "watch",
            "GET" or "HEAD" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => method.ToLowerInvariant(),
        };
        return new ApiRequestAttributes(new RbacGrant(prefix.Group, resource, verb), @namespace);
    }
}
