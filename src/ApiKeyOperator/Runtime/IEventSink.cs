namespace ApiKeyOperator.Runtime;

/// <summary>Where <see cref="EventRecorder"/>'s background loop writes; must log and swallow its own failures and
/// return promptly once the token is cancelled (the shutdown deadline).</summary>
public interface IEventSink
{
    Task WriteAsync(EventRequest request, CancellationToken cancellationToken);
}
