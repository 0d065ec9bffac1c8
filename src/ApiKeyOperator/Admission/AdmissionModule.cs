using System.CommandLine;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Admission;

/// <summary>
/// The admission webhook (<c>--webhook-bind-address</c>): stamps and verifies the requester of every ApiKey and
/// ApiKeyRotation change, refuses escalations, records who deleted an ApiKey. Runs with the controllers (it needs
/// the requester key and the workload caches). In a cluster the shipped configurations call it through the
/// Service <c>apikey-operator-webhook</c> and the leader injects the CA bundle into them; a local run registers
/// URL-based configurations for itself.
/// </summary>
public sealed class AdmissionModule : IOperatorModule
{
    public IReadOnlyList<Option> Options => AdmissionFlags.All;

    public void ConfigureServices(IServiceCollection services, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddRequesterIdentity();
        if (BindAddress.Parse(options.GetValue(AdmissionFlags.BindAddress)) is not { } endpoint)
        {
            return;
        }

        var operatorUser = OperatorUser.Detect(options.GetValue(AdmissionFlags.OperatorUsername));
        if (operatorUser.Username is null)
        {
            throw new ArgumentException(
                "--webhook-bind-address needs the operator's own Kubernetes user to recognise its scheduled work: give --operator-username (in a cluster it is read from the ServiceAccount token)");
        }

        var selfRegister = AdmissionFlags.SelfRegistering(options);
        if (selfRegister && options.GetValue(CertificateFlags.CertDir) is not null)
        {
            throw new ArgumentException("--webhook-self-register trusts the operator's own CA: it cannot be combined with --cert-dir");
        }

        services.AddSharedRequesterKey();
        services.AddSingleton<IAccessReviewer, SubjectAccessReviewer>();
        services.AddSingleton(sp =>
        {
            var workloads = sp.GetRequiredService<Workloads>();
            return new EscalationChecks(sp.GetRequiredService<IAccessReviewer>(), workloads.Get);
        });
        services.AddSingleton<ValidatingAdmission>();
        services.AddSingleton<WebhookHandler>();
        services.AddSingleton(sp => new WebhookServer(
            endpoint, sp.GetRequiredService<IServingCertificate>(), sp.GetRequiredService<WebhookHandler>(), sp.GetRequiredService<ILogger<WebhookServer>>()));
        services.AddHostedService(sp => sp.GetRequiredService<WebhookServer>());
        if (selfRegister)
        {
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<WebhookSelfRegistration>(
                sp, options.GetValue(AdmissionFlags.ConfigurationName)!, options.WatchNamespaces));
            services.AddHostedService(sp => sp.GetRequiredService<WebhookSelfRegistration>());
        }
        else if (options.GetValue(CertificateFlags.CertDir) is null)
        {
            services.AddSingleton<CaBundleInjector>();
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WebhookCaInjection>(sp, SecurityModule.OwnNamespace(options)));
        }
    }
}
