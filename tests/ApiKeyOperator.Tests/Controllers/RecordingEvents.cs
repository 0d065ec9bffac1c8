using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Tests.Controllers;

internal sealed class RecordingEvents : IEventRecorder
{
    public List<(string Type, string Reason, string Message)> Recorded { get; } = [];

    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken)
    {
        Recorded.Add(("Normal", reason, message));
        return Task.CompletedTask;
    }

    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string message, CancellationToken cancellationToken)
    {
        Recorded.Add(("Warning", reason, message));
        return Task.CompletedTask;
    }
}
