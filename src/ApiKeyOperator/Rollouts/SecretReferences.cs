using k8s.Models;

namespace ApiKeyOperator.Rollouts;

/// <summary>Whether a pod template reads a Secret, in any of the ways a pod can.</summary>
public static class SecretReferences
{
    /// <summary>
    /// True when the pod spec mounts the Secret (volume or projected volume) or reads it into the
    /// environment (<c>env[].valueFrom.secretKeyRef</c>, <c>envFrom[].secretRef</c>) in any container,
    /// init container included.
    /// </summary>
    public static bool References(V1PodSpec? podSpec, string secretName)
    {
        if (podSpec is null)
        {
            return false;
        }

        return (podSpec.Volumes ?? []).Any(v => VolumeReferences(v, secretName))
            || Containers(podSpec).Any(c => ContainerReferences(c, secretName));
    }

    private static IEnumerable<V1Container> Containers(V1PodSpec podSpec) =>
        (podSpec.InitContainers ?? []).Concat(podSpec.Containers ?? []);

    private static bool VolumeReferences(V1Volume volume, string secretName) =>
        volume.Secret?.SecretName == secretName
        || (volume.Projected?.Sources ?? []).Any(s => s.Secret?.Name == secretName);

    private static bool ContainerReferences(V1Container container, string secretName) =>
        (container.Env ?? []).Any(e => e.ValueFrom?.SecretKeyRef?.Name == secretName)
        || (container.EnvFrom ?? []).Any(e => e.SecretRef?.Name == secretName);
}
