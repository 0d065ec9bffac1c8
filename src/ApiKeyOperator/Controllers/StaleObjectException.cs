namespace ApiKeyOperator.Controllers;

/// <summary>
/// The object changed between the read a decision was made on and the write carrying it out. The
/// reconcile is abandoned and retried with backoff, so it decides again on fresh state rather than
/// overwriting another writer's progress.
/// </summary>
public sealed class StaleObjectException(string message) : Exception(message);
