using System.CommandLine;
using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Verification;

/// <summary>The <c>run</c> flags of the ApiKeyReview endpoint.</summary>
public static class ReviewFlags
{
    public static Option<string> BindAddress { get; } = CreateBindAddress();

    public static Option<string?> TlsCertFile { get; } = new("--review-tls-cert-file") { Description = "PEM certificate of the review endpoint; default the operator's serving certificate" };

    public static Option<string?> TlsKeyFile { get; } = new("--review-tls-key-file") { Description = "PEM private key of the review endpoint" };

    public static Option<string> Auth { get; } = new Option<string>("--review-auth")
    {
        Description = "How review callers are checked: kubernetes (TokenReview + SubjectAccessReview) or none (local use only)",
        DefaultValueFactory = _ => "kubernetes",
    }.AcceptOnlyFromAmong("kubernetes", "none");

    public static Option<bool> InsecureHttp { get; } = new("--review-insecure-http")
    {
        Description = "Serve the review endpoint over plain HTTP (local use only: callers send their bearer tokens); default HTTPS",
    };

    public static Option<string[]> TokenAudiences { get; } = Security.FlagValues.List(
        "--review-token-audiences",
        "Audiences a caller's bearer token must be issued for (providers mount a projected ServiceAccount token with one of them)",
        [DefaultTokenAudience]);

    /// <summary>The audience providers request for their projected ServiceAccount token.</summary>
    public const string DefaultTokenAudience = "apikeyoperator.io";

    public static IReadOnlyList<Option> All => [BindAddress, TlsCertFile, TlsKeyFile, Auth, InsecureHttp, TokenAudiences];

    private static Option<string> CreateBindAddress()
    {
        var option = new Option<string>("--review-bind-address")
        {
            Description = "Address of the ApiKeyReview endpoint; '0' disables it",
            DefaultValueFactory = _ => ":8443",
        };
        option.Validators.Add(result =>
        {
            try
            {
                Hosting.BindAddress.Parse(result.GetValueOrDefault<string>());
            }
            catch (FormatException e)
            {
                result.AddError($"--review-bind-address: {e.Message}");
            }
        });
        return option;
    }
}
