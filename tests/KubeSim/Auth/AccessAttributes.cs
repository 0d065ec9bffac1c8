namespace KubeSim;

/// <summary>
/// One entry of the access table a SubjectAccessReview is answered from: user, verb, API group ("" for core),
/// resource and namespace. A null namespace stands for every namespace (a cluster-wide grant).
/// </summary>
public sealed record AccessAttributes(string User, string Verb, string Group, string Resource, string? Namespace);
