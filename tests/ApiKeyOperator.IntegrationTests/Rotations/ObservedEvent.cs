using k8s;
using k8s.Models;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>
/// One change seen by a <see cref="RotationHistory"/> watch. Resource versions are the server's global revision
/// (KubeSim and etcd alike), so events of different kinds sort into the order the server applied them.
/// </summary>
public sealed record ObservedEvent(long ResourceVersion, string Kind, WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object)
{
    public string Name => Object.Metadata.Name;
}
