namespace ApiKeyOperator.Runtime;

/// <summary>Scope and timing of an informer. Defaults follow client-go's reflector.</summary>
public sealed record InformerOptions
{
    /// <summary>Watch one namespace; null watches all.</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    /// <summary>Watch timeoutSeconds is drawn between this and twice this, so watches of many informers do not expire together.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every period, every cached object is delivered again as an update (client-go's resync, from the cache, no API
    /// call), so level-based controllers re-check the world. Null turns it off.
    /// </summary>
    public TimeSpan? ResyncPeriod { get; init; }
}
