namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>The system clock moved by a fixed offset: a real clock (no thread races it), just set wrong on purpose.</summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
