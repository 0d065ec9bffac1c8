using ApiKeyOperator.Runtime;

namespace ApiKeyOperator.Hosting;

/// <summary>Ready once every informer has completed its first list.</summary>
internal sealed class InformersSyncedCheck : IReadinessCheck
{
    private readonly InformerRegistry _informers;

    public InformersSyncedCheck(InformerRegistry informers)
    {
        _informers = informers;
    }

    public string Name => "informers";

    public ReadinessResult Check()
    {
        var all = _informers.All;
        var detail = string.Join(", ", all.Select(i => $"{i.Name} {(i.HasSynced ? "synced" : "not synced")}"));
        return new ReadinessResult(all.All(i => i.HasSynced), detail.Length == 0 ? "no informers" : detail);
    }
}
