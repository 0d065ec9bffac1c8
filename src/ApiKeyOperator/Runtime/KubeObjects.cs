using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>Small helpers over API objects.</summary>
public static class KubeObjects
{
    /// <summary>Deep copy, so a cached object is never mutated in place.</summary>
    public static T Clone<T>(T obj) where T : class => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    /// <summary>
    /// Fills apiVersion and kind from the type's attribute: list items of built-in kinds arrive without them,
    /// and Events and owner references need them.
    /// </summary>
    public static T WithTypeMeta<T>(T obj, ResourceType type) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        obj.ApiVersion ??= type.ApiVersion;
        obj.Kind ??= type.Kind;
        return obj;
    }

    /// <summary>The controller owner reference, as <c>metav1.GetControllerOf</c>.</summary>
    public static V1OwnerReference? ControllerOf(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
}
