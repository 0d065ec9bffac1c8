namespace KubeSim;

/// <summary>Every request KubeSim served, for asserting how many API calls (and which) an operation cost.</summary>
public sealed class RequestLog
{
    private readonly Lock gate = new();
    private readonly List<RequestRecord> records = [];

    /// <summary>A copy of every record since start or the last Reset, in arrival order.</summary>
    public IReadOnlyList<RequestRecord> Snapshot()
    {
        lock (gate)
        {
            return [.. records];
        }
    }

    /// <summary>Forgets everything recorded so far.</summary>
    public void Reset()
    {
        lock (gate)
        {
            records.Clear();
        }
    }

    /// <summary>
    /// How many resource requests match every given criterion. resource may be "plural" or "plural/subresource";
    /// null criteria match anything.
    /// </summary>
    public int Count(string? verb = null, string? resource = null, string? ns = null, int? statusCode = null) =>
        Snapshot().Count(r =>
            r.Resource is not null
            && (verb is null || r.Verb == verb)
            && (resource is null || ResourceKey(r) == resource || (!resource.Contains('/', StringComparison.Ordinal) && r.Resource == resource && r.Subresource is null))
            && (ns is null || r.Namespace == ns)
            && (statusCode is null || r.StatusCode == statusCode));

    /// <summary>Resource requests counted by verb.</summary>
    public IReadOnlyDictionary<string, int> CountByVerb() => CountBy(ResourceRecords(), r => r.Verb);

    /// <summary>Resource requests counted by "plural" or "plural/subresource".</summary>
    public IReadOnlyDictionary<string, int> CountByResource() => CountBy(ResourceRecords(), ResourceKey);

    /// <summary>Resource requests counted by namespace ("" for cluster-scoped and all-namespaces requests).</summary>
    public IReadOnlyDictionary<string, int> CountByNamespace() => CountBy(ResourceRecords(), r => r.Namespace ?? "");

    /// <summary>All requests counted by HTTP status code.</summary>
    public IReadOnlyDictionary<int, int> CountByStatusCode() => CountBy(Snapshot(), r => r.StatusCode);

    /// <summary>Resource writes (create, update, patch, delete, deletecollection).</summary>
    public int Writes() => ResourceRecords().Count(r => r.Verb is "create" or "update" or "patch" or "delete" or "deletecollection");

    internal void Add(RequestRecord record)
    {
        lock (gate)
        {
            records.Add(record);
        }
    }

    private static string ResourceKey(RequestRecord r) => r.Subresource is null ? r.Resource ?? "" : $"{r.Resource}/{r.Subresource}";

    private IEnumerable<RequestRecord> ResourceRecords() => Snapshot().Where(r => r.Resource is not null);

    private static Dictionary<TKey, int> CountBy<TKey>(IEnumerable<RequestRecord> source, Func<RequestRecord, TKey> key)
        where TKey : notnull =>
        source.GroupBy(key).ToDictionary(g => g.Key, g => g.Count());
}
