using System.CommandLine;
using System.CommandLine.Parsing;
using ApiKeyOperator.Api;
using ApiKeyOperator.Verification.Signing;

namespace ApiKeyOperator.Verification;

/// <summary>The <c>run</c> flags of the token endpoint, its signing keys and the forward-auth endpoint.</summary>
public static class ProviderFlags
{
    public const string DefaultSigningSecret = "apikey-operator-token-signing-keys";

    public static Option<string?> Issuer { get; } = CreateIssuer();

    public static Option<string?> Audience { get; } = new("--token-audience")
    {
        Description = "aud of every access token (default: the issuer)",
    };

    public static Option<string> SigningSecret { get; } = new("--token-signing-secret")
    {
        Description = "Secret in the operator's namespace that holds the token signing keys (written by the leader only)",
        DefaultValueFactory = _ => DefaultSigningSecret,
    };

    public static Option<string?> SigningNamespace { get; } = new("--token-signing-namespace")
    {
        Description = "Namespace of the signing key Secret (default: the operator's own, from POD_NAMESPACE or the in-cluster ServiceAccount; without either, tokens are off)",
    };

    public static Option<TimeSpan> SigningKeyRotation { get; } = CreateRotation();

    public static Option<TimeSpan> SigningKeyPublishAhead { get; } = Duration(
        "--token-signing-key-publish-ahead", TimeSpan.FromHours(24),
        "How long a new signing key is in the JWKS before it signs, so verifiers caching the JWKS have it first (Go duration)");

    public static Option<TimeSpan> SigningRefreshInterval { get; } = Duration(
        "--token-signing-refresh-interval", TimeSpan.FromSeconds(30),
        "How often every replica re-reads the signing keys; at most 5m (Go duration)");

    public static IReadOnlyList<Option> All => [Issuer, Audience, SigningSecret, SigningNamespace, SigningKeyRotation, SigningKeyPublishAhead, SigningRefreshInterval];

    private static Option<string?> CreateIssuer()
    {
        var option = new Option<string?>("--token-issuer")
        {
            Description = "iss of access tokens and base URL of discovery, as providers reach the review listener (default: https://apikey-operator-review.<operator namespace>.svc:<review port>, http without TLS)",
        };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>();
            if (text is not null && !IsIssuerUrl(text))
            {
                result.AddError("--token-issuer: must be an absolute http(s) URL without query or fragment");
            }
        });
        return option;
    }

    private static Option<TimeSpan> CreateRotation()
    {
        var option = Duration("--token-signing-key-rotation", TimeSpan.FromDays(30), "How long each token signing key signs before the next one takes over (Go duration)");
        option.Validators.Add(result =>
        {
            TimeSpan rotation, publishAhead, refresh;
            try
            {
                (rotation, publishAhead, refresh) = (result.GetValueOrDefault<TimeSpan>(), result.GetValue(SigningKeyPublishAhead), result.GetValue(SigningRefreshInterval));
            }
            catch (InvalidOperationException)
            {
                // One of the three did not parse; its own error says so.
                return;
            }

            var policy = new SigningKeyPolicy(rotation, publishAhead, TimeSpan.Zero);
            foreach (var problem in policy.Problems())
            {
                result.AddError(problem);
            }

            if (refresh > SigningKeyPolicy.ClockSkew)
            {
                result.AddError($"--token-signing-refresh-interval must be at most {GoDuration.Format(SigningKeyPolicy.ClockSkew)}: a replica must see a new key well before it signs");
            }
        });
        return option;
    }

    internal static bool IsIssuerUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http"
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);

    private static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (GoDuration.TryParse(text, out var value, out var error) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"{name}: {error ?? "must be greater than 0s"}");
            return default;
        },
    };
}
