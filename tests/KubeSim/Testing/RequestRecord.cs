namespace KubeSim;

/// <summary>
/// One request as an authorizer sees it. Verb is the Kubernetes verb (get, list, watch, create, update, patch,
/// delete, deletecollection) for resource requests, or the lower-case HTTP method for other paths.
/// Group is "" for core; Resource is null for non-resource paths (then Path says what was asked).
/// </summary>
public sealed record RequestRecord(
    string Verb,
    string Group,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    int StatusCode,
    string Path)
{
    /// <summary>
    /// Who asked: the Impersonate-User header, else the bearer token taken as a user name (KubeSim authenticates
    /// nobody), else null. Null and "kubesim" (the token of the kubeconfigs KubeSim writes) are the cluster admin.
    /// </summary>
    public string? User { get; init; }

    /// <summary>The client's User-Agent header.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The request's Content-Type (e.g. application/vnd.kubernetes.protobuf for kubectl create), or null.</summary>
    public string? ContentType { get; init; }
}
