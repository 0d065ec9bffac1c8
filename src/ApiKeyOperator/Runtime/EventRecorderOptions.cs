namespace ApiKeyOperator.Runtime;

/// <summary>Identity written into Events and the size of the aggregation memory.</summary>
public sealed record EventRecorderOptions
{
    public const string DefaultComponent = "apikey-operator";

    /// <summary>reportingComponent and source.component.</summary>
    public string Component { get; init; } = DefaultComponent;

    /// <summary>reportingInstance and source.host: this replica.</summary>
    public string Instance { get; init; } = Environment.MachineName;

    /// <summary>Recent Events remembered for aggregation; older ones start a new Event.</summary>
    public int Capacity { get; init; } = 4096;
}
