using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Verification;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Verification;

public sealed class AuditTests(ClusterFixture cluster) : VerificationTest(cluster)
{
    [Fact]
    public async Task Full_lifecycle_is_in_the_ledger_by_key_id_and_no_key_reaches_the_database_files()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("billing", s => s.Scopes = ["invoices:read"]);
        var issued = await WaitForReadyAsync("billing");
        var firstId = issued.Status.CurrentKeyId!;
        var keys = new List<string> { await ReadKeyAsync("billing-key") };

        await Resources<ApiKey>().PatchAsync(Key("billing"), """{"spec":{"validity":"720h"}}""", Ct);
        await WaitForAsync<ApiKey>("billing", k => k.Status?.ExpiresAt != issued.Status.ExpiresAt, "expiry updated");
        await CreateRotationAsync("billing-r1", "billing", s => { s.GracePeriod = "1s"; s.Reason = "quarterly rotation"; });
        var rotation = await WaitForPhaseAsync("billing-r1", RotationPhases.Succeeded);
        var secondId = rotation.Status.NewKeyId!;
        keys.Add(await ReadKeyAsync("billing-key"));
        Assert.Equal(ReviewReason.Valid, (await Reviews(running).ReviewAsync(keys[1], Ct)).Reason);
        await Resources<ApiKey>().DeleteAsync(Key("billing"), Ct);
        await Eventually.WaitAsync(async ct => await Resources<ApiKey>().GetAsync(Key("billing"), ct) is null, Timeout, "ApiKey billing gone", Ct);

        AssertNoKeyIn(LedgerFiles(), keys);
        var served = await ReadAuditEndpointAsync(running.MetricsUrl!);
        await running.StopAsync();
        AssertNoKeyIn(LedgerFiles(), keys);
        var rows = await ReadLedgerFileAsync();

        var expected = new (string Kind, string KeyId, string? Rotation)[]
        {
            (AuditEventKinds.Issued, firstId, null),
            (AuditEventKinds.ExpiryUpdated, firstId, null),
            (AuditEventKinds.RotationStarted, firstId, "billing-r1"),
            (AuditEventKinds.Issued, secondId, "billing-r1"),
            (AuditEventKinds.RolledOut, secondId, "billing-r1"),
            (AuditEventKinds.Revoked, firstId, "billing-r1"),
            ("RotationSucceeded", secondId, "billing-r1"),
            (AuditEventKinds.Deleted, secondId, null),
        };
        Assert.Equal(expected, rows.Select(r => (r.Kind, r.KeyId!, r.Rotation)));
        Assert.Equal(rows.Select(r => (r.Id, r.Kind, r.KeyId)), served.Select(r => (r.Id, r.Kind, r.KeyId)));
        Assert.All(rows, r => Assert.Equal((Namespace, "billing"), (r.Namespace, r.ApiKey)));
        Assert.All(rows, r => Assert.Equal(["invoices:read"], r.Scopes));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.Actor)));
        Assert.Equal("quarterly rotation", rows.Single(r => r.Kind == AuditEventKinds.RotationStarted).Reason);
    }

    private string[] LedgerFiles() =>
        [.. new[] { LedgerPath, LedgerPath + "-wal", LedgerPath + "-shm", LedgerPath + "-journal" }.Where(File.Exists)];

    private static void AssertNoKeyIn(IReadOnlyList<string> files, IReadOnlyList<string> keys)
    {
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            foreach (var key in keys)
            {
                // The whole key, and its secret part alone (the prefix and key id are public).
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key)) < 0, $"{Path.GetFileName(file)} holds an issued key");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key[^32..])) < 0, $"{Path.GetFileName(file)} holds the secret part of an issued key");
            }
        }
    }

    /// <summary>Every row of this test's ApiKey, oldest first, from <c>GET /audit</c> on the metrics listener.</summary>
    private async Task<List<AuditEntry>> ReadAuditEndpointAsync(Uri metricsUrl)
    {
        using var http = new HttpClient { BaseAddress = metricsUrl };
        var page = await http.GetFromJsonAsync<AuditPage>($"/audit?namespace={Namespace}&apiKey=billing&limit={AuditQuery.MaxLimit}", JsonSerializerOptions.Web, Ct);
        Assert.Null(page!.Continue);
        return [.. page.Items.Reverse()];
    }

    /// <summary>Every row of this test's ApiKey, oldest first, read from the file the operator left behind.</summary>
    private async Task<List<AuditEntry>> ReadLedgerFileAsync()
    {
        using var ledger = new SqliteAuditLedger(new LedgerOptions { Path = LedgerPath }, TimeProvider.System, new LedgerHealth(), NullLogger<SqliteAuditLedger>.Instance);
        var rows = new List<AuditEntry>();
        string? next = null;
        do
        {
            var page = await ledger.QueryAsync(new AuditQuery { Namespace = Namespace, ApiKey = "billing", Limit = AuditQuery.MaxLimit, Continue = next }, Ct);
            rows.AddRange(page.Items);
            next = page.Continue;
        }
        while (next is not null);

        rows.Reverse();
        return rows;
    }
}
