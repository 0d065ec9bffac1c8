using ApiKeyOperator.Ledger;
using ApiKeyOperator.Tests.Ledger;
using ApiKeyOperator.Verification.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Verification.Providers;

/// <summary>Token issuance rows in the real SQLite ledger: batched commits, every row kept, nothing half-written.</summary>
public sealed class TokenAuditLedgerTests : IDisposable
{
    private readonly LedgerFixture _fixture = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_lands_whole_and_every_row_is_queryable()
    {
        var ledger = _fixture.Open();
        var rows = Enumerable.Range(0, 1200).Select(Row).ToList();

        Assert.Equal(1200, await ledger.TryRecordManyAsync(rows, _ct));

        var stored = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Limit = 500 });
        Assert.Equal(1200, stored.Count);
        Assert.Equal(rows.Select(r => r.Message).Order(), stored.Select(r => r.Message).Order());
    }

    [Fact]
    public async Task A_row_that_looks_like_key_material_is_kept_with_the_value_redacted_and_the_batch_lands()
    {
        var ledger = _fixture.Open();
        var token = TokenSamples.Create();
        var rows = new[] { Row(1), Row(2) with { Message = "secret=" + token }, Row(3) };

        Assert.Equal(3, await ledger.TryRecordManyAsync(rows, _ct));

        var stored = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Limit = 10 });
        Assert.Equal(3, stored.Count);
        Assert.DoesNotContain(stored, r => r.Message!.Contains(token, StringComparison.Ordinal));
        Assert.Single(stored, r => r.Message!.StartsWith(AuditEntryValidator.RedactedMarker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Queue_writes_every_queued_row_through_the_ledger_and_redacts_one_that_looks_like_key_material()
    {
        var ledger = _fixture.Open();
        var token = TokenSamples.Create();
        using var queue = new TokenAuditQueue(ledger, NullLogger<TokenAuditQueue>.Instance);
        for (var i = 0; i < 2000; i++)
        {
            Assert.True(queue.TryEnqueue(i == 7 ? Row(i) with { Message = "secret=" + token } : Row(i)));
        }

        await queue.StartAsync(_ct);
        await Eventually.WaitAsync(async () => (await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Limit = 500 })).Count >= 2000);
        await queue.StopAsync(_ct);

        var stored = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery { Limit = 500 });
        Assert.Equal(2000, stored.Count);
        Assert.DoesNotContain(stored, r => r.Message!.Contains(token, StringComparison.Ordinal));
        Assert.Single(stored, r => r.Message!.StartsWith(AuditEntryValidator.RedactedMarker, StringComparison.Ordinal));
    }

    public void Dispose() => _fixture.Dispose();

    private static AuditEntry Row(int i) => new()
    {
        Kind = AuditEventKinds.TokenIssued,
        Namespace = "payments",
        ApiKey = "billing",
        KeyId = "3f9a1c2e",
        Scopes = ["recordings:read"],
        Actor = "client:payments/billing",
        Message = $"jti={i:x32} kid=0011223344556677 expiresAt=2026-11-23T13:00:00Z auth=client_secret_basic",
        IdempotencyKey = $"TokenIssued/{i:x32}",
    };
}
