using System.Net;
using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Tests.Controllers;
using ApiKeyOperator.Tests.Security;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.ForwardAuth;
using ApiKeyOperator.Verification.Signing;
using ApiKeyOperator.Verification.Tokens;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

/// <summary>
/// The provider endpoints wired as the module wires them, on a loopback review listener, over an in-memory key index,
/// a fake clock (advanced only between requests), one loaded signing key, and recording sinks for usage and audit.
/// </summary>
internal sealed class ProviderKit : IAsyncDisposable
{
    public const string Issuer = "https://apikey-operator-review.apikey-operator-system.svc:8443";
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IAsyncDisposable> _servers = [];
    private readonly List<HttpClient> _clients = [];
    private readonly ILoggerFactory _loggers;

    public ProviderKit(int auditCapacity = 1000, bool synced = true, bool signingConfigured = true)
    {
        Options = new TokenOptions { Issuer = Issuer, Audience = "https://billing.example", SigningConfigured = signingConfigured };
        Ring.Update([SigningKeyGenerator.Generate(Now.UtcDateTime, Now.UtcDateTime)]);
        if (synced)
        {
            Index.MarkSynced();
        }

        Metrics = new ProviderMetrics(Prometheus.Metrics.WithCustomRegistry(Registry));
        _loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Verifier = new KeyVerifier(Index, Time);
        Audit = new TokenAuditQueue(Ledger, NullLogger<TokenAuditQueue>.Instance, auditCapacity);
        TokenVerifier = new AccessTokenVerifier(Options, Ring, Verifier, Time);
        TokenIssuer = new AccessTokenIssuer(Options, Ring);
        Limiter = new ClientFailureLimiter(Time, Options.FailureBurst, Options.FailureRefill, Options.FailureTrackingCapacity);
    }

    public FakeTimeProvider Time { get; } = new(Now);

    public KeyIndex Index { get; } = new();

    public KeyGenerator Generator { get; } = new();

    public SigningKeyRing Ring { get; } = new();

    public TokenOptions Options { get; }

    public RecordingUsageSink Usage { get; } = new();

    public RecordingAuditLedger Ledger { get; } = new();

    public TokenAuditQueue Audit { get; }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public ProviderMetrics Metrics { get; }

    public FakeResource<ApiKey> ApiKeys { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public FakeRequestAuthorizer Gateways { get; } = new();

    public KeyVerifier Verifier { get; }

    public AccessTokenVerifier TokenVerifier { get; }

    public AccessTokenIssuer TokenIssuer { get; }

    public ClientFailureLimiter Limiter { get; }

    /// <summary>Starts a review listener with every provider route; <paramref name="gatewayAuth"/> checks gateways with <see cref="Gateways"/>.</summary>
    /// <param name="drainAudit">False leaves the audit queue undrained (to fill it).</param>
    public async Task<HttpClient> StartAsync(bool gatewayAuth = false, ReviewAuthMode reviewAuth = ReviewAuthMode.None, bool drainAudit = true)
    {
        if (drainAudit)
        {
            await Audit.StartAsync(TestContext.Current.CancellationToken);
        }

        var tokens = new TokenEndpoint(Verifier, Index, ApiKeys, Options, TokenIssuer, Limiter, Audit, Usage, Metrics, Time, _loggers.CreateLogger<TokenEndpoint>());
        var wellKnown = new WellKnownEndpoints(Options, Ring, new SigningKeyPolicy(TimeSpan.FromDays(30), TimeSpan.FromHours(24), TimeSpan.FromHours(25)));
        var forward = new ForwardAuthEndpoint(Verifier, TokenVerifier, gatewayAuth ? new KubernetesReviewAuthorizer(Gateways) : null, Usage, Metrics, Time, _loggers.CreateLogger<ForwardAuthEndpoint>());
        var server = new ReviewServer(
            new ReviewOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), Auth = reviewAuth, InsecureHttp = true },
            Verifier,
            new KubernetesReviewAuthorizer(Gateways),
            Usage,
            new VerificationMetrics(Prometheus.Metrics.WithCustomRegistry(Registry)),
            Time,
            _loggers,
            [
                new ReviewRoute(TokenEndpoint.Path, tokens.HandleAsync),
                new ReviewRoute(WellKnownEndpoints.OpenIdConfigurationPath, wellKnown.DiscoveryAsync),
                new ReviewRoute(WellKnownEndpoints.JwksPath, wellKnown.JwksAsync),
                new ReviewRoute(ForwardAuthRoute.Path, forward.HandleAsync, MatchPrefix: true),
            ],
            TokenVerifier);
        _servers.Add(server);
        await server.StartAsync(TestContext.Current.CancellationToken);
        var client = new HttpClient { BaseAddress = server.Addresses[0] };
        _clients.Add(client);
        return client;
    }

    /// <summary>Indexes one key of a fresh credential for <paramref name="ns"/>/<paramref name="name"/> (replacing that ApiKey's keys).</summary>
    public IssuedCredential Issue(
        string ns, string name, IndexedKeyState state, IReadOnlyList<string> scopes, CredentialFormat format = CredentialFormat.ClientCredentials,
        DateTime? expiresAt = null, DateTime? revokeAt = null)
    {
        var credential = Generator.Generate(format, "ak_");
        Index.Replace(ns, name, [new IndexedKey(ns, name, credential.KeyId, credential.Hash, state, scopes, expiresAt ?? Now.UtcDateTime.AddDays(30), revokeAt)]);
        return credential;
    }

    /// <summary>Puts an ApiKey in the informer cache (for spec.tokenLifetimeSeconds).</summary>
    public void SetApiKey(string ns, string name, int? tokenLifetimeSeconds) => ApiKeys.Seed(new ApiKey
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new ApiKeySpec { SecretName = name + "-key", TokenLifetimeSeconds = tokenLifetimeSeconds },
    });

    /// <summary>Waits (real-time deadline) until the audit queue has written every row.</summary>
    public async Task<IReadOnlyList<ApiKeyOperator.Ledger.AuditEntry>> AuditRowsAsync(int expected)
    {
        await ApiKeyOperator.Tests.Ledger.Eventually.WaitAsync(() => Ledger.Entries.Count >= expected);
        return Ledger.Entries;
    }

    public async Task<string> ExportedMetricsAsync()
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await Audit.StopAsync(CancellationToken.None);
        Audit.Dispose();
        _loggers.Dispose();
    }
}
