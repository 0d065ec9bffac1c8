namespace ApiKeyOperator.Runtime;

/// <summary>Scope and timing of an informer. Defaults follow client-go's reflector.</summary>
public sealed record InformerOptions
{
    /// <summary>Watch one namespace; null watches all (unless <see cref="Namespaces"/> is set).</summary>
    public string? Namespace { get; init; }

    /// <summary>Watch several namespaces, one list+watch each into the one cache (controller-runtime's multi-namespace cache).</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }

    /// <summary>What one list+watch loop each covers: the namespaces, or the one namespace (null: all).</summary>
    public IReadOnlyList<string?> Scopes => Namespaces is { Count: > 0 } namespaces ? [.. namespaces] : [Namespace];

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
