using System.Text.Json;
using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class AuditLogStreamTests : LedgerTestBase
{
    [Fact]
    public async Task A_file_gets_one_line_per_row_and_survives_being_rotated_away()
    {
        string file = Path.Combine(Fixture.Directory, "audit.jsonl");
        var stream = new AuditLogStream(file, TextWriter.Null);
        SqliteAuditLedger ledger = new(new LedgerOptions { Path = Fixture.Path }, Fixture.Time, Fixture.Health, Fixture.Logger, stream);

        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));
        File.Move(file, file + ".1");
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.Revoked), Ct));
        ledger.Dispose();

        Assert.Equal(["Issued"], Kinds(await File.ReadAllLinesAsync(file + ".1", Ct)));
        Assert.Equal(["Revoked"], Kinds(await File.ReadAllLinesAsync(file, Ct)));
    }

    [Fact]
    public async Task Stdout_gets_each_line_whole()
    {
        using var stdout = new StringWriter();
        var stream = new AuditLogStream(AuditLogStream.Stdout, stdout);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stream.WriteAsync(LedgerFixture.Entry() with { Id = i }, Ct)));

        string[] lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()).Order());
    }

    private static IEnumerable<string?> Kinds(IEnumerable<string> lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString()).ToList();
}
