using System.CommandLine;

namespace ApiKeyOperator.Security;

/// <summary>The <c>run</c> flags of the metrics listener's protection and of the shared TokenReview budget.</summary>
public static class SecurityFlags
{
    public static Option<bool> MetricsSecure { get; } = new("--metrics-secure")
    {
        Description = "Serve /metrics and /audit over HTTPS to callers the API server authenticates (TokenReview) and authorises "
            + "(SubjectAccessReview), as controller-runtime's secure metrics do; --metrics-secure=false serves plain HTTP to anyone (local use only)",
        DefaultValueFactory = _ => true,
    };

    public static Option<string[]> MetricsTokenAudiences { get; } = FlagValues.List(
        "--metrics-token-audiences", "Audiences a bearer token for /metrics and /audit must be issued for; empty: the API server's own (a ServiceAccount's usual token)", []);

    public static Option<double> TokenReviewQps { get; } = new("--token-review-qps")
    {
        Description = "TokenReviews per second this replica sends for bearer tokens it has not seen recently (past the burst, such requests get 429)",
        DefaultValueFactory = _ => 20,
    };

    public static Option<int> TokenReviewBurst { get; } = new("--token-review-burst")
    {
        Description = "TokenReviews this replica may send at once for unseen bearer tokens before --token-review-qps applies",
        DefaultValueFactory = _ => 100,
    };

    public static IReadOnlyList<Option> All => [MetricsSecure, MetricsTokenAudiences, TokenReviewQps, TokenReviewBurst];
}
