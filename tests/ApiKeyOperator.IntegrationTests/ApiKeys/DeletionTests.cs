using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Ledger;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>Deleting an ApiKey: keys revoked, Secret removed, finalizer released once the deletion is in the audit trail.</summary>
public sealed class DeletionTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Deleting_an_api_key_revokes_its_keys_removes_the_secret_and_releases_the_finalizer()
    {
        await StartOperatorAsync();
        await DeleteAndAssertGoneAsync("billing");
    }

    [Fact]
    public async Task Deletion_waits_for_its_audit_row_while_the_ledger_cannot_open_and_completes_once_it_can()
    {
        // A path below a regular file: no SQLite database can be opened there until the file gives way to a directory.
        var blocker = Path.Combine(Path.GetDirectoryName(LedgerPath)!, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file, not a directory", Ct);
        await StartOperatorAsync(OperatorArgsWith("--ledger-path", Path.Combine(blocker, "ledger.db")));
        await CreateApiKeyAsync("audited");
        var ready = await WaitForReadyAsync("audited");

        await Resources<ApiKey>().DeleteAsync(Key("audited"), Ct);

        // The keys are revoked at once, but the finalizer stays, visibly, until the Deleted row is in the trail.
        var waiting = await WaitForAsync<ApiKey>("audited", k => Conditions.Find(k.Status?.Conditions, ConditionTypes.Reconciling)?.Reason == Reasons.AuditPending, "waiting for the audit trail");
        Assert.All(waiting.Status.Keys!, k => Assert.Equal(KeyStates.Revoked, k.State));
        Assert.Contains(waiting.Status.PendingAudit!, r => r.Kind == "Deleted" && r.KeyId == ready.Status.CurrentKeyId);
        Assert.Contains(Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Audit ledger", StringComparison.Ordinal) && l.Contains(blocker, StringComparison.Ordinal));

        File.Delete(blocker);
        Directory.CreateDirectory(blocker);
        await Eventually.WaitAsync(async _ => await Resources<ApiKey>().GetAsync(Key("audited"), Ct) is null, Timeout, "ApiKey audited gone (finalizer released)", Ct);
        var rows = await AuditRowsAsync(Path.Combine(blocker, "ledger.db"));
        Assert.Single(rows, r => r.Kind == "Deleted" && r.KeyId == ready.Status.CurrentKeyId);
    }

    private async Task DeleteAndAssertGoneAsync(string name)
    {
        await CreateApiKeyAsync(name);
        var ready = await WaitForReadyAsync(name);
        Assert.NotNull(await SecretAsync($"{name}-key"));

        await Resources<ApiKey>().DeleteAsync(Key(name), Ct);

        await Eventually.WaitAsync(async _ => await Resources<ApiKey>().GetAsync(Key(name), Ct) is null, Timeout, $"ApiKey {name} gone (finalizer released)", Ct);
        await Eventually.WaitAsync(async _ => await SecretAsync($"{name}-key") is null, Timeout, $"Secret {name}-key gone", Ct);
        var revoked = await WaitForEventAsync(name, Reasons.Revoked);
        Assert.Contains(ready.Status.CurrentKeyId!, revoked.Message, StringComparison.Ordinal);
    }

    /// <summary>The rows of ApiKey audited, read from the ledger file while the operator still has it open (WAL readers do not block).</summary>
    private async Task<IReadOnlyList<AuditEntry>> AuditRowsAsync(string path)
    {
        using var ledger = new SqliteAuditLedger(new LedgerOptions { Path = path }, TimeProvider.System, new LedgerHealth(), NullLogger<SqliteAuditLedger>.Instance);
        return (await ledger.QueryAsync(new AuditQuery { Namespace = Namespace, ApiKey = "audited", Limit = AuditQuery.MaxLimit }, Ct)).Items;
    }
}
