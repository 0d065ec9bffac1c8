namespace KubeSim.Http;

/// <summary>What a request path addresses.</summary>
internal enum RouteKind
{
    NotFound,
    Version,
    Health,
    CoreVersions,
    GroupList,
    Group,
    ResourceList,
    OpenApiIndex,
    OpenApiDocument,
    AdminFaults,
    AdminRequests,
    Resource,
}
