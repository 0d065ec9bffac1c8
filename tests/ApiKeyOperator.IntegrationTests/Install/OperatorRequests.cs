using KubeSim;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// Finds, in KubeSim's request log, the records of the requests one client sent. The log holds every client of the
/// shared server (tests, other operators); a sent request is matched to an unclaimed record with the same method,
/// path and watch-ness. Two requests alike in those three are alike in everything RBAC checks, so which of them
/// is claimed does not matter.
/// </summary>
public static class OperatorRequests
{
    private static readonly string[] DiscoveryPaths = ["/api", "/apis", "/version", "/openapi"];

    /// <summary>The log records of <paramref name="sent"/>, or null while some are not logged yet (a watch is logged when it ends).</summary>
    public static IReadOnlyList<RequestRecord>? Match(IReadOnlyList<SentRequest> sent, IEnumerable<RequestRecord> log)
    {
        var unclaimed = log
            .GroupBy(r => new SentRequest(Method(r), r.Path, r.Verb == "watch"))
            .ToDictionary(g => g.Key, g => new Queue<RequestRecord>(g));
        var matched = new List<RequestRecord>(sent.Count);
        foreach (var request in sent)
        {
            if (!unclaimed.TryGetValue(request, out var candidates) || !candidates.TryDequeue(out var record))
            {
                return null;
            }

            matched.Add(record);
        }

        return matched;
    }

    /// <summary>Discovery and OpenAPI documents, which every authenticated user may read (system:discovery).</summary>
    public static bool IsDiscovery(RequestRecord record) =>
        record.Resource is null && DiscoveryPaths.Any(p => record.Path == p || record.Path.StartsWith(p + "/", StringComparison.Ordinal));

    private static string Method(RequestRecord record) => record.Resource is null
        ? record.Verb.ToUpperInvariant()
        : record.Verb switch
        {
            "get" or "list" or "watch" => "GET",
            "create" => "POST",
            "update" => "PUT",
            "patch" => "PATCH",
            _ => "DELETE",
        };
}
