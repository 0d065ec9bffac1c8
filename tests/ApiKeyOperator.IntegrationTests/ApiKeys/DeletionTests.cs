using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>Deleting an ApiKey: keys revoked, Secret removed, finalizer released — even when the audit ledger is broken.</summary>
public sealed class DeletionTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    [Fact]
    public async Task Deleting_an_api_key_revokes_its_keys_removes_the_secret_and_releases_the_finalizer()
    {
        await StartOperatorAsync();
        await DeleteAndAssertGoneAsync("billing");
    }

    [Fact]
    public async Task Deletion_completes_when_the_audit_ledger_cannot_open()
    {
        // A path below a regular file: no SQLite database can ever be opened there.
        var blocker = Path.Combine(Path.GetDirectoryName(LedgerPath)!, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file, not a directory", Ct);
        await StartOperatorAsync(OperatorArgsWith("--ledger-path", Path.Combine(blocker, "ledger.db")));

        await DeleteAndAssertGoneAsync("audited");
        Assert.Contains(Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Audit ledger", StringComparison.Ordinal) && l.Contains(blocker, StringComparison.Ordinal));
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
}
