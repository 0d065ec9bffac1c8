using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;

namespace ApiKeyOperator.IntegrationTests.Verification;

/// <summary>Helpers the verification tests share: reading issued keys, calling the review endpoint, dependents.</summary>
public abstract class VerificationTest(ClusterFixture cluster) : OperatorTest(cluster)
{
    private readonly List<ReviewClient> _clients = [];

    /// <summary>The test operator's flags with callers checked by TokenReview and SubjectAccessReview.</summary>
    protected string[] KubernetesAuthArgs()
    {
        var args = OperatorArgs();
        var at = Array.IndexOf(args, "--review-auth");
        args[at + 1] = "kubernetes";
        return args;
    }

    protected ReviewClient Reviews(RunningOperator running, string? bearerToken = null)
    {
        var client = new ReviewClient(running.ReviewUrl ?? throw new InvalidOperationException("the review endpoint is not enabled"), bearerToken);
        _clients.Add(client);
        return client;
    }

    /// <summary>The Token now in the ApiKey's Secret (read the way a mounting pod would see it).</summary>
    protected async Task<string> ReadKeyAsync(string secretName)
    {
        var secret = await Resources<V1Secret>().GetAsync(Key(secretName), Ct) ?? throw new InvalidOperationException($"Secret {secretName} is missing");
        return Encoding.UTF8.GetString(secret.Data[SecretDataKeys.ApiKey]);
    }

    protected Task<ApiKeyRotation> WaitForPhaseAsync(string rotationName, string phase) =>
        WaitForAsync<ApiKeyRotation>(rotationName, r => r.Status?.Phase == phase, $"phase {phase}");

    /// <summary>A one-replica Deployment that mounts the Secret, so a rotation rolls it.</summary>
    protected Task<V1Deployment> CreateDependentAsync(string name, string secretName)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return Resources<V1Deployment>().CreateAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "app", Image = "nginx:1.27", VolumeMounts = [new V1VolumeMount { Name = "key", MountPath = "/var/run/key" }] }],
                        Volumes = [new V1Volume { Name = "key", Secret = new V1SecretVolumeSource { SecretName = secretName } }],
                    },
                },
            },
        }, Ct);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await base.DisposeAsync();
    }
}
