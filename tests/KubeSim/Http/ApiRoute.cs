namespace KubeSim.Http;

/// <summary>
/// A parsed request path. For Resource routes, Definition is the served resource; Namespace is null for
/// cluster-scoped resources and all-namespaces lists; Name and Subresource are null for collections.
/// </summary>
internal sealed record ApiRoute(RouteKind Kind)
{
    public string Group { get; init; } = "";

    public string Version { get; init; } = "";

    public ResourceDefinition? Definition { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Subresource { get; init; }

    /// <summary>The legacy /watch/ path prefix was used.</summary>
    public bool WatchPath { get; init; }

    public static readonly ApiRoute None = new(RouteKind.NotFound);
}
