namespace ApiKeyOperator.Verification;

/// <summary>
/// Verifies the access tokens of <c>/oauth2/token</c> presented in an ApiKeyReview's <c>spec.token</c>: signature,
/// issuer, audience and expiry, and then the key the token was issued for, so that a token of a revoked key is
/// refused at once (offline verifiers only see that at the token's expiry).
/// </summary>
public interface IBearerTokenReviewer
{
    Task<ApiKeyReviewStatus> ReviewAsync(string token, IReadOnlyList<string> requiredScopes, CancellationToken cancellationToken);
}
