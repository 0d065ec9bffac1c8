namespace KubeSim.Http;

/// <summary>Maps request paths to routes, following kube-apiserver's URL layout.</summary>
internal static class RouteTable
{
    public static ApiRoute Parse(string path, ResourceRegistry registry)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["version"] => new ApiRoute(RouteKind.Version),
            ["healthz" or "livez" or "readyz", ..] => new ApiRoute(RouteKind.Health),
            ["api"] => new ApiRoute(RouteKind.CoreVersions),
            ["api", var v] => GroupVersion("", v, registry),
            ["api", var v, .. var rest] => Resource("", v, rest, registry),
            ["apis"] => new ApiRoute(RouteKind.GroupList),
            ["apis", var g] => registry.All.Any(d => d.Group == g) ? new ApiRoute(RouteKind.Group) { Group = g } : ApiRoute.None,
            ["apis", var g, var v] => GroupVersion(g, v, registry),
            ["apis", var g, var v, .. var rest] => Resource(g, v, rest, registry),
            ["openapi", "v3"] => new ApiRoute(RouteKind.OpenApiIndex),
            ["openapi", "v3", "api", var v] => new ApiRoute(RouteKind.OpenApiDocument) { Version = v },
            ["openapi", "v3", "apis", var g, var v] => new ApiRoute(RouteKind.OpenApiDocument) { Group = g, Version = v },
            ["kubesim", "faults"] => new ApiRoute(RouteKind.AdminFaults),
            ["kubesim", "requests"] => new ApiRoute(RouteKind.AdminRequests),
            _ => ApiRoute.None,
        };
    }

    private static ApiRoute GroupVersion(string group, string version, ResourceRegistry registry) =>
        registry.All.Any(d => d.Group == group && d.Version == version)
            ? new ApiRoute(RouteKind.ResourceList) { Group = group, Version = version }
            : ApiRoute.None;

    private static ApiRoute Resource(string group, string version, string[] rest, ResourceRegistry registry)
    {
        var watchPath = rest is ["watch", ..];
        if (watchPath)
        {
            rest = rest[1..];
        }

        string? ns = null;
        // namespaces/{ns}/{plural}… addresses namespaced content; namespaces/{name}/status is the namespace's own subresource.
        if (rest is ["namespaces", var n, var next, ..] && !(group.Length == 0 && rest.Length == 3 && next is "status" or "finalize"))
        {
            ns = n;
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3)
        {
            return ApiRoute.None;
        }

        var definition = registry.Find(new ResourceId(group, version, rest[0]));
        if (definition is null || (ns is not null && !definition.Namespaced))
        {
            return ApiRoute.None;
        }

        var subresource = rest.Length == 3 ? rest[2] : null;
        if (subresource is not null && !(subresource == "status" && definition.HasStatus) && !(subresource == "scale" && definition.HasScale))
        {
            return ApiRoute.None;
        }

        var name = rest.Length >= 2 ? rest[1] : null;
        if (name is not null && definition.Namespaced && ns is null)
        {
            return ApiRoute.None;
        }

        return new ApiRoute(RouteKind.Resource)
        {
            Group = group,
            Version = version,
            Definition = definition,
            Namespace = ns,
            Name = name,
            Subresource = subresource,
            WatchPath = watchPath,
        };
    }
}
