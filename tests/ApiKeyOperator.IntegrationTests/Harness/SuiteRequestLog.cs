using System.Text.Json;
using ApiKeyOperator.IntegrationTests.Operator;
using KubeSim;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>
/// Writes, when a KubeSim of the suite shuts down, what the operator identities asked of it: one JSON file per
/// server under TestResults/operator-requests/, distinct (user, verb, group, resource, subresource, scope) with a
/// count. After the suite, <c>make test</c> holds their union against config/rbac both ways
/// (tests/ApiKeyOperator.Tests/Install/SuiteRbacTests).
/// </summary>
public static class SuiteRequestLog
{
    public static string Directory { get; } = Path.Combine(RepoRoot.Path, "TestResults", "operator-requests");

    public static void Write(IEnumerable<RequestRecord> log)
    {
        var records = log
            // A refused request is no use of a permission: tests probe what the identities may not do (403 on a KubeSim
            // that enforces RBAC), and there an operator's own refusal fails the test that made it.
            .Where(r => r.User is not null && OperatorIdentities.All.Contains(r.User) && r.Resource is not null && r.StatusCode != 403)
            .GroupBy(r => new SuiteRequest(r.User!, r.Verb, r.Group, r.Resource!, r.Subresource, r.Namespace is not null, NameWorthKeeping(r), 0))
            .Select(g => g.Key with { Count = g.Count() })
            .OrderBy(r => r.ToString(), StringComparer.Ordinal)
            .ToList();
        if (records.Count == 0)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, $"{Guid.NewGuid():N}.json"), JsonSerializer.Serialize(records, new JsonSerializerOptions { WriteIndented = true }));
    }

    // Names matter only where a Role restricts by resourceName: the operator's own objects.
    private static string? NameWorthKeeping(RequestRecord record) =>
        record.Name is { } name && name.StartsWith("apikey-operator", StringComparison.Ordinal) ? name : null;

    /// <summary>One kind of request (the shape SuiteRbacTests reads).</summary>
    public sealed record SuiteRequest(string User, string Verb, string Group, string Resource, string? Subresource, bool Namespaced, string? Name, int Count);
}
