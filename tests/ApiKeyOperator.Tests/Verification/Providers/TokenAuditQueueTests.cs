using System.Net;
using System.Text;
using ApiKeyOperator.Verification;
using ApiKeyOperator.Verification.Tokens;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

public sealed class TokenAuditQueueTests
{
    [Fact]
    public async Task Full_audit_queue_refuses_tokens_instead_of_issuing_them_unaudited()
    {
        await using var kit = new ProviderKit(auditCapacity: 2);
        var client = kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var http = await kit.StartAsync(drainAudit: false);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var content = new StringContent($"grant_type=client_credentials&client_id={client.ClientId}&client_secret={client.ClientSecret}", Encoding.UTF8, "application/x-www-form-urlencoded");
            using var response = await http.PostAsync(TokenEndpoint.Path, content, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], statuses);
        Assert.Equal(2, kit.Audit.Pending);
        Assert.Contains("apikey_token_audit_queue_full_total 2", await kit.ExportedMetricsAsync());
        Assert.Contains("apikey_tokens_issued_total 2", await kit.ExportedMetricsAsync());
    }

    [Fact]
    public async Task Rows_queued_at_shutdown_are_still_written()
    {
        var kit = new ProviderKit();
        var client = kit.Issue("payments", "billing", IndexedKeyState.Active, []);
        var http = await kit.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            using var content = new StringContent($"grant_type=client_credentials&client_id={client.ClientId}&client_secret={client.ClientSecret}", Encoding.UTF8, "application/x-www-form-urlencoded");
            using var response = await http.PostAsync(TokenEndpoint.Path, content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await kit.DisposeAsync();

        Assert.Equal(20, kit.Ledger.Entries.Count);
        Assert.Equal(20, kit.Ledger.Entries.Select(e => e.IdempotencyKey).Distinct().Count());
    }
}
