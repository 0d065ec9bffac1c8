using ApiKeyOperator.Api;
using k8s.Models;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>Deployments, StatefulSets and DaemonSets whose pods read a Secret in a chosen way.</summary>
public static class RotationWorkloads
{
    /// <summary>An image every backend can start: k3s ships the pause image, KubeSim runs anything.</summary>
    public const string Image = "rancher/mirrored-pause:3.6";

    /// <summary>An image KubeSim never pulls (and a real cluster cannot resolve): the pods never become Ready.</summary>
    public const string BrokenImage = "registry.invalid/never:1";

    public static V1Deployment Deployment(string ns, string name, string secretName, SecretUse use, int replicas = 2, string image = Image, int? progressDeadlineSeconds = null) =>
        new()
        {
            Metadata = Meta(ns, name),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                ProgressDeadlineSeconds = progressDeadlineSeconds,
                Selector = Selector(name),
                Template = Template(name, secretName, use, image),
            },
        };

    public static V1StatefulSet StatefulSet(string ns, string name, string secretName, SecretUse use, int replicas = 2) =>
        new()
        {
            Metadata = Meta(ns, name),
            Spec = new V1StatefulSetSpec
            {
                Replicas = replicas,
                ServiceName = name,
                Selector = Selector(name),
                Template = Template(name, secretName, use, Image),
            },
        };

    public static V1DaemonSet DaemonSet(string ns, string name, string secretName, SecretUse use) =>
        new()
        {
            Metadata = Meta(ns, name),
            Spec = new V1DaemonSetSpec
            {
                Selector = Selector(name),
                Template = Template(name, secretName, use, Image),
            },
        };

    /// <summary>The key id a workload's pod template was rolled to, if any.</summary>
    public static string? RolledKeyId(V1PodTemplateSpec? template) =>
        template?.Metadata?.Annotations?.TryGetValue(WellKnown.KeyIdAnnotation, out var id) == true ? id : null;

    private static V1ObjectMeta Meta(string ns, string name) => new() { Name = name, NamespaceProperty = ns };

    private static V1LabelSelector Selector(string name) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = name } };

    private static V1PodTemplateSpec Template(string name, string secretName, SecretUse use, string image)
    {
        var container = new V1Container { Name = "app", Image = image };
        var spec = new V1PodSpec { Containers = [container] };
        switch (use)
        {
            case SecretUse.Volume:
                spec.Volumes = [new V1Volume { Name = "key", Secret = new V1SecretVolumeSource { SecretName = secretName } }];
                container.VolumeMounts = [new V1VolumeMount { Name = "key", MountPath = "/etc/apikey", ReadOnlyProperty = true }];
                break;
            case SecretUse.EnvSecretKeyRef:
                container.Env = [new V1EnvVar { Name = "API_KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secretName, Key = SecretDataKeys.ApiKey } } }];
                break;
            case SecretUse.EnvFrom:
                container.EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secretName } }];
                break;
            case SecretUse.ProjectedVolume:
                spec.Volumes = [new V1Volume { Name = "key", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { Secret = new V1SecretProjection { Name = secretName } }] } }];
                container.VolumeMounts = [new V1VolumeMount { Name = "key", MountPath = "/etc/apikey", ReadOnlyProperty = true }];
                break;
        }

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
            Spec = spec,
        };
    }
}
