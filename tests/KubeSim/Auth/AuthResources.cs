namespace KubeSim;

/// <summary>The create-only review resources of authentication.k8s.io and authorization.k8s.io that KubeSim serves.</summary>
internal static class AuthResources
{
    public const string AuthenticationGroup = "authentication.k8s.io";
    public const string AuthorizationGroup = "authorization.k8s.io";

    public static readonly ResourceDefinition TokenReviews =
        new(AuthenticationGroup, "v1", "tokenreviews", "tokenreview", "TokenReview", false, false, [], []) { Verbs = ["create"] };

    public static readonly ResourceDefinition SubjectAccessReviews =
        new(AuthorizationGroup, "v1", "subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", false, false, [], []) { Verbs = ["create"] };

    public static IReadOnlyList<ResourceDefinition> All { get; } = [TokenReviews, SubjectAccessReviews];

    public static bool IsReview(ResourceDefinition? definition) =>
        definition is not null && All.Any(d => d.Id == definition.Id);
}
