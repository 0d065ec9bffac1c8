using System.Globalization;
using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Tests.Api;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

/// <summary>spec.tokenLifetimeSeconds in the CRD and the operator, and the run flags of the provider endpoints.</summary>
public sealed class ProviderSettingsTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Schema_bounds_token_lifetime_by_the_same_ceiling_the_operator_enforces()
    {
        var spec = CrdSchema.Property(CrdSchema.Load("apikeyoperator.io_apikeys.yaml"), "spec")!;
        var lifetime = CrdSchema.Property(spec, "tokenLifetimeSeconds")!;

        Assert.Equal("integer", CrdSchema.Scalar(lifetime, "type"));
        Assert.Equal(TokenOptions.MinLifetimeSeconds, int.Parse(CrdSchema.Scalar(lifetime, "minimum")!, CultureInfo.InvariantCulture));
        Assert.Equal(TokenOptions.MaxLifetimeSeconds, int.Parse(CrdSchema.Scalar(lifetime, "maximum")!, CultureInfo.InvariantCulture));
        Assert.Null(CrdSchema.Scalar(lifetime, "default"));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(86_401)]
    [InlineData(-1)]
    public void Operator_refuses_a_lifetime_outside_the_bounds_naming_the_field(int seconds)
    {
        var problems = SpecValidator.Validate(new ApiKeySpec { SecretName = "k", TokenLifetimeSeconds = seconds }, null, Now);

        var problem = Assert.Single(problems);
        Assert.Contains("spec.tokenLifetimeSeconds", problem);
        Assert.Contains("86400", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(60)]
    [InlineData(86_400)]
    public void Lifetimes_within_the_bounds_are_fine(int? seconds) =>
        Assert.Empty(SpecValidator.Validate(new ApiKeySpec { SecretName = "k", TokenLifetimeSeconds = seconds }, null, Now));

    [Fact]
    public void Default_issuer_is_the_review_Service_name_and_port()
    {
        var options = OperatorCommands.ParseRunOptions(["--review-bind-address", ":9443"], OperatorModules.All);

        Assert.Equal("http://apikey-operator-review.ops.svc:9443", ProvidersModule.DefaultIssuer(options, "ops"));
        var tls = OperatorCommands.ParseRunOptions(["--review-tls-cert-file", "c", "--review-tls-key-file", "k"], OperatorModules.All);
        Assert.Equal("https://apikey-operator-review.ops.svc:8443", ProvidersModule.DefaultIssuer(tls, "ops"));
    }

    [Fact]
    public void Signing_namespace_is_the_flag_else_the_pods_never_the_watch_scope()
    {
        Assert.Equal("ops", OperatorNamespace.Resolve("ops"));
        var watchScoped = OperatorCommands.ParseRunOptions(["--namespace", "payments"], OperatorModules.All);
        Assert.NotEqual("payments", OperatorNamespace.Resolve(watchScoped.GetValue(ProviderFlags.SigningNamespace)));
    }

    [Theory]
    [InlineData("--token-issuer", "not a url")]
    [InlineData("--token-issuer", "ftp://example")]
    [InlineData("--token-issuer", "https://example/?q=1")]
    [InlineData("--token-signing-key-rotation", "0s")]
    [InlineData("--token-signing-key-publish-ahead", "soon")]
    [InlineData("--token-signing-refresh-interval", "-1s")]
    public void Invalid_provider_flags_are_rejected_naming_the_flag(string flag, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorCommands.ParseRunOptions([flag, value], OperatorModules.All));

        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--token-signing-key-rotation", "1h", "--token-signing-key-publish-ahead", "2h", "--token-signing-key-publish-ahead")]
    [InlineData("--token-signing-key-rotation", "1h", "--token-signing-refresh-interval", "10m", "--token-signing-refresh-interval")]
    [InlineData("--token-signing-refresh-interval", "1s", "--token-signing-key-publish-ahead", "800h", "--token-signing-key-publish-ahead")]
    public void Inconsistent_signing_flags_are_rejected(string flag1, string value1, string flag2, string value2, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorCommands.ParseRunOptions([flag1, value1, flag2, value2], OperatorModules.All));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
