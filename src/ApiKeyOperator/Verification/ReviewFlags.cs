using System.CommandLine;
using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Verification;

/// <summary>The <c>run</c> flags of the ApiKeyReview endpoint.</summary>
public static class ReviewFlags
{
    public static Option<string> BindAddress { get; } = CreateBindAddress();

    public static Option<string?> TlsCertFile { get; } = new("--review-tls-cert-file") { Description = "PEM certificate of the review endpoint; plain HTTP when unset" };

    public static Option<string?> TlsKeyFile { get; } = new("--review-tls-key-file") { Description = "PEM private key of the review endpoint" };

    public static Option<string> Auth { get; } = new Option<string>("--review-auth")
    {
        Description = "How review callers are checked: kubernetes (TokenReview + SubjectAccessReview) or none (local use only)",
        DefaultValueFactory = _ => "kubernetes",
    }.AcceptOnlyFromAmong("kubernetes", "none");

    public static IReadOnlyList<Option> All => [BindAddress, TlsCertFile, TlsKeyFile, Auth];

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
