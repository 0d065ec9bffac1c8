namespace ApiKeyOperator.Ledger;

/// <summary>A page request over the audit rows, newest first.</summary>
public sealed record AuditQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public string? Namespace { get; init; }

    /// <summary>Only rows of these namespaces (the ones a caller may read); null: no such restriction.</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>Only rows at or after this instant (UTC).</summary>
    public DateTime? Since { get; init; }

    /// <summary>1 … <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The opaque token from the previous page's <see cref="AuditPage.Continue"/>.</summary>
    public string? Continue { get; init; }
}
