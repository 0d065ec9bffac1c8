using ApiKeyOperator.Runtime;
using Prometheus;

namespace ApiKeyOperator.Controllers.ApiKeyRotations;

/// <summary>
/// <c>apikey_rotations_total{namespace,name,result}</c> (name: the ApiKey). Every result series of an ApiKey exists
/// at 0 from the moment the ApiKey is first seen, so an alert on <c>increase(...)</c> sees the first failure after
/// a restart too.
/// </summary>
public sealed class RotationMetrics(OperatorMetrics metrics)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    private readonly Counter _finished = metrics.Factory.CreateCounter(
        "apikey_rotations_total", "ApiKeyRotations that finished, by ApiKey and result.", ["namespace", "name", "result"]);

    /// <summary>Creates the ApiKey's series at 0 (idempotent).</summary>
    public void Track(string namespaceName, string apiKeyName)
    {
        _finished.WithLabels(namespaceName, apiKeyName, Succeeded);
        _finished.WithLabels(namespaceName, apiKeyName, Failed);
    }

    public void Finished(string namespaceName, string apiKeyName, string result) => _finished.WithLabels(namespaceName, apiKeyName, result).Inc();

    /// <summary>Drops the ApiKey's series once it is gone.</summary>
    public void Forget(string namespaceName, string apiKeyName)
    {
        _finished.RemoveLabelled(namespaceName, apiKeyName, Succeeded);
        _finished.RemoveLabelled(namespaceName, apiKeyName, Failed);
    }
}
