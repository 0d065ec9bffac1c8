namespace ApiKeyOperator.Hosting;

/// <summary>
/// One line of /healthz (the liveness probe): failing it makes the kubelet restart the container, so only a state
/// the process cannot leave on its own belongs here. Register implementations as singletons of this interface.
/// </summary>
public interface ILivenessCheck
{
    string Name { get; }

    ReadinessResult Check();
}
