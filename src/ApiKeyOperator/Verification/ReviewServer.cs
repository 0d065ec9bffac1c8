using ApiKeyOperator.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification;

/// <summary>
/// The ApiKeyReview listener: its own Kestrel server on <see cref="ReviewOptions.Endpoint"/>, HTTPS with the
/// operator's serving certificate (or PEM files, reloaded when they change); plain HTTP only when asked for
/// explicitly (<see cref="ReviewOptions.InsecureHttp"/>). Every
/// replica runs one, leader or not: it reads only the <see cref="KeyIndex"/> behind the <see cref="KeyVerifier"/>.
/// </summary>
public sealed class ReviewServer : IAsyncDisposable
{
    /// <summary>Where reviews are posted: <c>/apis/apikeyoperator.io/v1alpha1/apikeyreviews</c>.</summary>
    public const string Path = ReviewRequestHandler.Path;

    private readonly ReviewOptions _options;
    private readonly ReviewRequestHandler _handler;
    private readonly IReadOnlyList<ReviewRoute> _routes;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<ReviewServer> _logger;
    private WebApplication? _app;
    private ReloadingCertificate? _files;

    /// <param name="authorizer">Required when <see cref="ReviewOptions.Auth"/> is Kubernetes (cached and budgeted by the caller's choice of implementation).</param>
    /// <param name="routes">Further endpoints served on this listener (token endpoint, discovery, forward-auth).</param>
    /// <param name="tokens">Verifies access tokens presented in <c>spec.token</c>; without it such reviews are Malformed.</param>
    public ReviewServer(
        ReviewOptions options,
        KeyVerifier verifier,
        IReviewAuthorizer? authorizer,
        IKeyUsageSink usage,
        VerificationMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IReadOnlyList<ReviewRoute>? routes = null,
        IBearerTokenReviewer? tokens = null)
    {
        if (options.Auth == ReviewAuthMode.Kubernetes && authorizer is null)
        {
            throw new ArgumentException("--review-auth=kubernetes needs an authorizer", nameof(authorizer));
        }

        if ((options.TlsCertFile is null) != (options.TlsKeyFile is null))
        {
            throw new ArgumentException("--review-tls-cert-file and --review-tls-key-file must be given together", nameof(options));
        }

        if (!options.InsecureHttp && options.TlsCertFile is null && options.Certificate is null)
        {
            throw new ArgumentException("the review endpoint serves HTTPS: give it a certificate, or --review-insecure-http for plain HTTP", nameof(options));
        }

        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ReviewServer>();
        var checkedAuthorizer = options.Auth == ReviewAuthMode.Kubernetes ? authorizer : null;
        _handler = new ReviewRequestHandler(verifier, checkedAuthorizer, usage, metrics, time, loggerFactory.CreateLogger<ReviewRequestHandler>(), tokens);
        _routes = routes ?? [];
    }

    /// <summary>Where the server listens once started (the actual port when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses => _app is null ? [] : [.. _app.Urls.Select(u => new Uri(u))];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the review server is already started");
        }

        _files?.Dispose();
        _files = _options.InsecureHttp || _options.TlsCertFile is null
            ? null
            : new ReloadingCertificate(_options.TlsCertFile, _options.TlsKeyFile!, _logger);
        IServingCertificate? certificate = _options.InsecureHttp ? null : _files ?? _options.Certificate;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_loggerFactory);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The handler enforces the exact limit (413 as a Status). Kestrel's own limit is a looser backstop for
            // bodies the handler never reads (e.g. after a 401): set to the exact limit, it refused chunked bodies
            // of exactly 64 KiB that the handler accepts.
            kestrel.Limits.MaxRequestBodySize = 2 * ReviewOptions.MaxBodyBytes;
            kestrel.Listen(_options.Endpoint, endpoint =>
            {
                if (certificate is not null)
                {
                    endpoint.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificate.Current);
                }
            });
        });

        var app = builder.Build();
        var routes = _routes;
        app.Run(context => routes.FirstOrDefault(r => r.Matches(context.Request.Path)) is { } route ? route.Handler(context) : _handler.HandleAsync(context));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A failed bind leaves Kestrel half-built: release it here, since StopAsync only knows a started app.
            // The bind failure is what the caller must see, so a failure of this clean-up is not allowed to replace it.
            try
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception teardown) when (teardown is not OperationCanceledException)
            {
                _logger.LogDebug(teardown, "Releasing the review server after a failed start failed too");
            }

            throw;
        }

        _app = app;
        if (_options.Auth == ReviewAuthMode.None)
        {
            _logger.LogWarning("ApiKeyReview callers are not authenticated (--review-auth=none): anyone who can reach {Addresses} can test keys", string.Join(", ", app.Urls));
        }

        _logger.LogInformation("Serving ApiKeyReview on {Addresses} ({Scheme})", string.Join(", ", app.Urls), certificate is null ? "plain HTTP" : "TLS");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return;
        }

        var app = _app;
        _app = null;
        await app.StopAsync(cancellationToken).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        _files?.Dispose();
        _files = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
