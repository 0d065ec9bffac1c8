using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>The write requests of a KubeSim request log, counted by "verb resource[/subresource]".</summary>
public sealed record WriteBreakdown(int Total, IReadOnlyList<(string What, int Count)> ByVerbAndResource)
{
    public static WriteBreakdown Of(IEnumerable<RequestRecord> records)
    {
        var writes = records
            .Where(r => r.Resource is not null && r.Verb is "create" or "update" or "patch" or "delete" or "deletecollection")
            .GroupBy(r => $"{r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)}")
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(p => p.Item2)
            .ToList();
        return new WriteBreakdown(writes.Sum(p => p.Item2), writes);
    }
}
