namespace ApiKeyOperator.Runtime;

/// <summary>The kind-independent face of a controller, for the manager that runs it.</summary>
public interface IController
{
    string Name { get; }

    WorkQueue Queue { get; }

    /// <summary>
    /// Runs the workers. They stop taking keys when <paramref name="stopTaking"/> is cancelled and the task ends
    /// when the reconciles in flight have finished; <paramref name="abort"/> cancels those reconciles.
    /// </summary>
    Task RunWorkersAsync(CancellationToken stopTaking, CancellationToken abort);
}
