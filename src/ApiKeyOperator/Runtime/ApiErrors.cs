using System.Net;
using k8s.Autorest;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>Classifies API errors the way <c>apierrors.IsNotFound</c> and friends do in Go.</summary>
public static class ApiErrors
{
    public static bool IsNotFound(Exception exception) => StatusCode(exception) == HttpStatusCode.NotFound;

    /// <summary>409 from a stale resourceVersion (not a create of an existing name).</summary>
    public static bool IsConflict(Exception exception) =>
        StatusCode(exception) == HttpStatusCode.Conflict && Reason(exception) != "AlreadyExists";

    /// <summary>409 from a create whose name is taken.</summary>
    public static bool IsAlreadyExists(Exception exception) =>
        StatusCode(exception) == HttpStatusCode.Conflict && Reason(exception) == "AlreadyExists";

    /// <summary>410 Gone: the resourceVersion asked for is older than the server keeps.</summary>
    public static bool IsGone(Exception exception) => StatusCode(exception) == HttpStatusCode.Gone;

    public static HttpStatusCode? StatusCode(Exception exception) =>
        exception is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    private static string? Reason(Exception exception) =>
        exception is HttpOperationException { Body: V1Status status } ? status.Reason : null;
}
