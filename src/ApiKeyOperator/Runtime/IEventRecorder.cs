using k8s;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// Records core/v1 Events about an object. Repeats of the same (object, type, reason, message) are
/// aggregated into one Event whose count grows, as <c>kubectl describe</c> shows them.
/// Failures to record are logged, never thrown: an Event is never worth failing a reconcile for. The runtime's
/// <see cref="EventRecorder"/> only queues the Event: the returned task is complete when the call returns.
/// </summary>
public interface IEventRecorder
{
    Task NormalAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken);

    Task WarningAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken);
}
