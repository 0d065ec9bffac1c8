using System.CommandLine;
using System.Net;
using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Admission;

/// <summary>The <c>run</c> flags of the admission webhook.</summary>
public static class AdmissionFlags
{
    public static Option<string> BindAddress { get; } = CreateBindAddress();

    public static Option<bool?> SelfRegister { get; } = new("--webhook-self-register")
    {
        Description = "Register URL-based Mutating/ValidatingWebhookConfigurations pointing at this process (removed again on a clean exit); "
            + "default: when --webhook-bind-address is a loopback address (a local run: the API server cannot reach it through a Service)",
    };

    public static Option<string> ConfigurationName { get; } = new("--webhook-configuration-name")
    {
        Description = "Name of the self-registered webhook configurations",
        DefaultValueFactory = _ => "apikey-operator-local",
    };

    public static Option<string?> OperatorUsername { get; } = new("--operator-username")
    {
        Description = "The Kubernetes user the operator's own requests authenticate as, recorded as system:apikey-operator; "
            + "default the ServiceAccount of the in-cluster token",
    };

    public static IReadOnlyList<Option> All => [BindAddress, SelfRegister, ConfigurationName, OperatorUsername];

    /// <summary>Whether this run registers its own webhook configurations.</summary>
    public static bool SelfRegistering(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Hosting.BindAddress.Parse(options.GetValue(BindAddress)) is { } endpoint
            && (options.GetValue(SelfRegister) ?? IPAddress.IsLoopback(endpoint.Address));
    }

    private static Option<string> CreateBindAddress()
    {
        var option = new Option<string>("--webhook-bind-address")
        {
            Description = "Address of the admission webhook (HTTPS with the operator's serving certificate), e.g. :9443 in a cluster or 127.0.0.1:0 locally; '0' disables it",
            DefaultValueFactory = _ => "0",
        };
        option.Validators.Add(result =>
        {
            try
            {
                Hosting.BindAddress.Parse(result.GetValueOrDefault<string>());
            }
            catch (FormatException e)
            {
                result.AddError($"--webhook-bind-address: {e.Message}");
            }
        });
        return option;
    }
}
