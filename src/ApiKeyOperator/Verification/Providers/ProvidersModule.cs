using System.CommandLine;
using ApiKeyOperator.Api;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Security;
using ApiKeyOperator.Verification.ForwardAuth;
using ApiKeyOperator.Verification.Signing;
using ApiKeyOperator.Verification.Tokens;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification;

/// <summary>
/// What services receiving keys use besides ApiKeyReview, all on the review listener: the client credentials token
/// endpoint with its operator-managed signing keys and discovery documents, bearer tokens in ApiKeyReview, and the
/// forward-auth endpoint for gateways. Needs <see cref="VerificationModule"/> (the key index) and <see cref="LedgerModule"/>.
/// </summary>
public sealed class ProvidersModule : IOperatorModule
{
    public IReadOnlyList<Option> Options => ProviderFlags.All;

    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var namespaceName = OperatorNamespace.Resolve(options.GetValue(ProviderFlags.SigningNamespace));
        var issuer = (options.GetValue(ProviderFlags.Issuer) ?? DefaultIssuer(options, namespaceName ?? "apikey-operator-system")).TrimEnd('/');
        var tokenOptions = new TokenOptions
        {
            Issuer = issuer,
            Audience = options.GetValue(ProviderFlags.Audience) ?? issuer,
            SigningConfigured = namespaceName is not null,
        };
        var policy = new SigningKeyPolicy(
            options.GetValue(ProviderFlags.SigningKeyRotation),
            options.GetValue(ProviderFlags.SigningKeyPublishAhead),
            TokenOptions.MaxLifetime + SigningKeyPolicy.ClockSkew);
        if (policy.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        var gatewayAuth = options.GetValue(ReviewFlags.Auth) != "none";
        services.AddSingleton(tokenOptions);
        services.AddSingleton(policy);
        services.AddSingleton(new SigningKeyOptions(namespaceName, options.GetValue(ProviderFlags.SigningSecret)!, policy, options.GetValue(ProviderFlags.SigningRefreshInterval)));
        services.AddSingleton(sp => new ProviderMetrics(sp.GetRequiredService<OperatorMetrics>().Factory));
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton(sp => new SigningKeyService(
            sp.GetRequiredService<SigningKeyOptions>(),
            sp.GetRequiredService<SigningKeyRing>(),
            sp.GetRequiredService<IResourceClient<V1Secret>>(),
            () => sp.GetRequiredService<ControllerManager>().WorkersRunning,
            sp.GetRequiredService<ProviderMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SigningKeyService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyService>());
        services.AddSingleton(sp => new TokenAuditQueue(sp.GetRequiredService<IAuditLedger>(), sp.GetRequiredService<ILogger<TokenAuditQueue>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TokenAuditQueue>());
        services.AddSingleton(sp => new ClientFailureLimiter(
            sp.GetRequiredService<TimeProvider>(), tokenOptions.FailureBurst, tokenOptions.FailureRefill, tokenOptions.FailureTrackingCapacity));
        services.AddSingleton<KeyVerifier>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AccessTokenVerifier>();
        services.AddSingleton<IBearerTokenReviewer>(sp => sp.GetRequiredService<AccessTokenVerifier>());
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<WellKnownEndpoints>();
        services.AddSingleton(sp => new ForwardAuthEndpoint(
            sp.GetRequiredService<KeyVerifier>(),
            sp.GetRequiredService<AccessTokenVerifier>(),
            gatewayAuth ? GatewayAuthorizer(sp, options) : null,
            sp.GetRequiredService<IKeyUsageSink>(),
            sp.GetRequiredService<ProviderMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ForwardAuthEndpoint>>()));
        services.AddSingleton(sp => new ReviewRoute(TokenEndpoint.Path, sp.GetRequiredService<TokenEndpoint>().HandleAsync));
        services.AddSingleton(sp => new ReviewRoute(WellKnownEndpoints.OpenIdConfigurationPath, sp.GetRequiredService<WellKnownEndpoints>().DiscoveryAsync));
        services.AddSingleton(sp => new ReviewRoute(WellKnownEndpoints.AuthorizationServerPath, sp.GetRequiredService<WellKnownEndpoints>().DiscoveryAsync));
        services.AddSingleton(sp => new ReviewRoute(WellKnownEndpoints.JwksPath, sp.GetRequiredService<WellKnownEndpoints>().JwksAsync));
        services.AddSingleton(sp => new ReviewRoute(ForwardAuthRoute.Path, sp.GetRequiredService<ForwardAuthEndpoint>().HandleAsync, MatchPrefix: true));
    }

    /// <summary>The review Service's cluster DNS name and the review port, as a provider in the cluster reaches it.</summary>
    internal static string DefaultIssuer(OperatorOptions options, string namespaceName)
    {
        var port = BindAddress.Parse(options.GetValue(ReviewFlags.BindAddress))?.Port ?? 8443;
        var scheme = options.GetValue(ReviewFlags.TlsCertFile) is null ? "http" : "https";
        return $"{scheme}://apikey-operator-review.{namespaceName}.svc:{port}";
    }

    /// <summary>Gateways are checked like ApiKeyReview callers (TokenReview for the review audiences, then SubjectAccessReview per namespace), cached and budgeted.</summary>
    private static IReviewAuthorizer GatewayAuthorizer(IServiceProvider services, OperatorOptions options) =>
        new KubernetesReviewAuthorizer(
            services.GetRequiredService<RequestAuthorizers>().For(options.GetValue(ReviewFlags.TokenAudiences) ?? []));
}
