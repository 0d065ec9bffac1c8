using ApiKeyOperator.Runtime;
using Prometheus;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary><c>apikey_rotations_total{result}</c>: finished rotations, <c>succeeded</c> or <c>failed</c>.</summary>
public sealed class RotationMetrics(OperatorMetrics metrics)
{
    private readonly Counter _finished = metrics.Factory.CreateCounter(
        "apikey_rotations_total", "ApiKeyRotations that finished, by result.", ["result"]);

    public void Succeeded() => _finished.WithLabels("succeeded").Inc();

    public void Failed() => _finished.WithLabels("failed").Inc();
}
