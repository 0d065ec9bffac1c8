namespace ApiKeyOperator.Verification;

/// <summary><c>--review-auth</c>: how callers of the review endpoint are checked.</summary>
public enum ReviewAuthMode
{
    /// <summary>Bearer token via TokenReview, namespace access via SubjectAccessReview.</summary>
    Kubernetes,

    /// <summary>Anyone may call; for local use only, logged as a warning at start.</summary>
    None,
}
