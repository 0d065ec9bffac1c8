namespace ApiKeyOperator.Admission;

/// <summary>Whether a requester may do something, as the cluster's authorizer answers (SubjectAccessReview).</summary>
public interface IAccessReviewer
{
    Task<bool> IsAllowedAsync(AdmissionUser user, ResourceAccess access, CancellationToken cancellationToken);
}
