namespace ApiKeyOperator.Runtime;

/// <summary>The kind-independent face of an informer, for the manager that runs them and the readiness probe.</summary>
public interface IInformer
{
    /// <summary>Kind and scope, for logs and the readiness report.</summary>
    string Name { get; }

    bool HasSynced { get; }

    /// <summary>Completes when the first list has filled the cache.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>Lists and watches until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
