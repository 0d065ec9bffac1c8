namespace ApiKeyOperator.Hosting;

/// <summary>One line of /readyz. Register implementations as singletons of this interface to add checks.</summary>
public interface IReadinessCheck
{
    string Name { get; }

    ReadinessResult Check();
}
