using System.CommandLine;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Security;

/// <summary>
/// Who may call the operator's endpoints and what they see of it: the shared TokenReview/SubjectAccessReview
/// checks (cached, budgeted), the serving certificate (the operator's own CA, or files from <c>--cert-dir</c>),
/// and the protection of the metrics listener (<c>/metrics</c>, <c>/audit</c>).
/// </summary>
public sealed class SecurityModule : IOperatorModule
{
    private const string InClusterNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>
    /// Also carries <c>--components</c>: running the review endpoint apart from the controllers is how it loses
    /// their access to Secrets.
    /// </summary>
    public IReadOnlyList<Option> Options => [.. SecurityFlags.All, .. CertificateFlags.All, ComponentFlags.Components];

    public IReadOnlyList<string> Components => OperatorComponents.All;

    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new TokenReviewBudget(
            sp.GetRequiredService<TimeProvider>(), options.GetValue(SecurityFlags.TokenReviewQps), options.GetValue(SecurityFlags.TokenReviewBurst)));
        services.AddSingleton(new AuthCacheOptions());
        services.AddSingleton<RequestAuthorizers>();

        var metricsSecure = options.MetricsBindAddress is not null && options.GetValue(SecurityFlags.MetricsSecure);
        var reviewTls = BindAddress.Parse(options.GetValue(ReviewFlags.BindAddress)) is not null
            && !options.GetValue(ReviewFlags.InsecureHttp) && options.GetValue(ReviewFlags.TlsCertFile) is null;
        // The admission webhook is always TLS (the API server calls only https).
        var webhook = BindAddress.Parse(options.GetValue(Admission.AdmissionFlags.BindAddress)) is not null;
        if (metricsSecure || reviewTls || webhook)
        {
            AddServingCertificate(services, options);
        }

        if (metricsSecure)
        {
            var audiences = options.GetValue(SecurityFlags.MetricsTokenAudiences) ?? [];
            services.AddSingleton<IListenerProtection>(sp => new SecureEndpoint(
                sp.GetRequiredService<RequestAuthorizers>().For(audiences), sp.GetRequiredService<IServingCertificate>(), sp.GetRequiredService<ILogger<SecureEndpoint>>()));
        }
    }

    /// <summary>The namespace of the operator's own objects, resolved as the Lease's is.</summary>
    public static string OwnNamespace(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.GetValue(CertificateFlags.CertNamespace)
            ?? options.LeaderElectionNamespace
            ?? options.WatchNamespaces.FirstOrDefault()
            ?? (File.Exists(InClusterNamespaceFile) ? File.ReadAllText(InClusterNamespaceFile).Trim() : "default");
    }

    private static void AddServingCertificate(IServiceCollection services, OperatorOptions options)
    {
        if (options.GetValue(CertificateFlags.CertDir) is null && !ComponentFlags.Selected(options).Contains(OperatorComponents.Controllers))
        {
            throw new ArgumentException(
                "--components without controllers serves TLS from --cert-dir (mount the Secret apikey-operator-serving-cert there): it cannot manage the operator's certificates");
        }

        if (options.GetValue(CertificateFlags.CertDir) is { } directory)
        {
            services.AddSingleton<IServingCertificate>(sp => new ReloadingCertificate(
                Path.Combine(directory, CertificateNames.TlsCertKey), Path.Combine(directory, CertificateNames.TlsKeyKey), sp.GetRequiredService<ILogger<ReloadingCertificate>>(),
                waitForFiles: true));
        }
        else
        {
            var ns = OwnNamespace(options);
            services.AddSingleton(new CertificateSettings
            {
                Namespace = ns,
                Identity = ServingIdentity.ForServices(ns, options.GetValue(CertificateFlags.ServiceNames) ?? []),
                RefreshInterval = options.GetValue(CertificateFlags.RefreshInterval),
            });
            services.AddSingleton<CertificateStore>();
            services.AddSingleton<ManagedServingCertificate>();
            services.AddSingleton<IServingCertificate>(sp => sp.GetRequiredService<ManagedServingCertificate>());
            services.AddSingleton<CertificateManager>();
            services.AddHostedService(sp => sp.GetRequiredService<CertificateManager>());
        }

        services.AddSingleton<IReadinessCheck, ServingCertificateReadiness>();
    }
}
