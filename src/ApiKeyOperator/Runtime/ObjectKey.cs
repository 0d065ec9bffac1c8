using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>Namespace and name of an object: the unit of work of the queue and of a reconcile.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj) =>
        new(obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
