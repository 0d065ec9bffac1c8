using k8s.Models;

namespace KubeSim.Tests.Api;

/// <summary>Small typed manifests for tests.</summary>
internal static class Workloads
{
    public static V1Deployment Deployment(string name, string image = "nginx:1.27", int replicas = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "main",
                            Image = image,
                            Env = [new V1EnvVar { Name = "A", Value = "1" }],
                        },
                    ],
                },
            },
        },
    };
}
