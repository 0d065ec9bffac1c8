using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Cli;

/// <summary>A connection to the cluster for one CLI invocation, with the namespace it acts in.</summary>
internal sealed class ClusterConnection(Kubernetes kubernetes, ApiTransport transport, string namespaceName) : IDisposable
{
    public string Namespace { get; } = namespaceName;

    public ResourceClient<T> Client<T>() where T : class, IKubernetesObject<V1ObjectMeta> => new(transport);

    public void Dispose() => kubernetes.Dispose();
}
