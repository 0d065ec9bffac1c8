using System.CommandLine;
using System.Text.Json;
using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class AuditCommandTests : LedgerTestBase
{
    [Fact]
    public async Task Table_ListsRowsNewestFirst_WithKubectlStyleHeaders_FromAClosedFile()
    {
        (await SeedAsync()).Dispose();
        Assert.False(File.Exists(Fixture.Path + "-wal"));

        var (exit, stdout, stderr) = await RunAsync("--ledger-path", Fixture.Path, "--namespace", "payments");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("TIME", lines[0], StringComparison.Ordinal);
        Assert.Contains("KEY-ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("Deleted", lines[1], StringComparison.Ordinal);
        Assert.Contains("2026-11-23T12:20:00Z", lines[1], StringComparison.Ordinal);
        Assert.Contains("contractor left", lines[2], StringComparison.Ordinal);
        Assert.Contains("Issued", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain("search", stdout, StringComparison.Ordinal);
        // Columns line up: every row has KIND where the header has it.
        int kindColumn = lines[0].IndexOf("KIND", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.NotEqual(' ', line[kindColumn]));
    }

    [Fact]
    public async Task A_closed_ledger_is_read_without_creating_wal_or_shm_files_beside_it()
    {
        (await SeedAsync()).Dispose();
        string[] before = Directory.GetFiles(Fixture.Directory);

        var (exit, stdout, stderr) = await RunAsync("--ledger-path", Fixture.Path);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(5, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(before, Directory.GetFiles(Fixture.Directory));
    }

    [Fact]
    public async Task A_ledger_on_a_read_only_volume_is_read()
    {
        using TmpfsMount? volume = TmpfsMount.TryCreate(4 * 1024 * 1024, out string? unavailable);
        if (volume is null)
        {
            Assert.Skip(unavailable!);
        }

        string path = Path.Combine(volume.Path, "ledger.db");
        using (var ledger = new SqliteAuditLedger(new LedgerOptions { Path = path }, Fixture.Time, Fixture.Health, Fixture.Logger))
        {
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));
        }

        volume.RemountReadOnly();
        var (exit, stdout, stderr) = await RunAsync("--ledger", "sqlite://" + path, "-o", "json");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        using JsonDocument page = JsonDocument.Parse(stdout);
        Assert.Equal(["Issued"], Kinds(page));
        Assert.Equal(["ledger.db"], Directory.GetFiles(volume.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_empty_path_is_a_one_line_error()
    {
        var (exit, stdout, stderr) = await RunAsync("--ledger-path", "");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("error: --ledger-path must not be empty" + Environment.NewLine, stderr);
    }

    [Fact]
    public async Task The_environment_variable_names_the_ledger_when_no_flag_does()
    {
        (await SeedAsync()).Dispose();

        var (exit, stdout, _) = await RunAsync(env: name => name == LedgerLocation.EnvironmentVariable ? "sqlite://" + Fixture.Path : null, "-o", "json");

        Assert.Equal(0, exit);
        using JsonDocument page = JsonDocument.Parse(stdout);
        Assert.Equal(4, Kinds(page).Count());
    }

    [Fact]
    public async Task Json_PagesWithContinue_WhileTheLedgerIsOpen()
    {
        await SeedAsync();

        var (exit, stdout, _) = await RunAsync("--ledger-path", Fixture.Path, "--limit", "2", "-o", "json");
        using JsonDocument first = JsonDocument.Parse(stdout);
        string next = first.RootElement.GetProperty("continue").GetString()!;
        var (exit2, stdout2, _) = await RunAsync("--ledger-path", Fixture.Path, "--limit", "2", "-o", "json", "--continue", next);
        using JsonDocument second = JsonDocument.Parse(stdout2);

        Assert.Equal(0, exit);
        Assert.Equal(0, exit2);
        Assert.Equal(["Deleted", "RotationStarted"], Kinds(first));
        Assert.Equal(["Issued", "Issued"], Kinds(second));
    }

    [Fact]
    public async Task Since_AcceptsDurations()
    {
        await SeedAsync();

        var (exit, stdout, _) = await RunAsync("--ledger-path", Fixture.Path, "--since", "5m", "-o", "json");

        Assert.Equal(0, exit);
        using JsonDocument page = JsonDocument.Parse(stdout);
        Assert.Equal(["Deleted"], Kinds(page));
    }

    [Fact]
    public async Task MissingFile_FailsWithoutCreatingIt()
    {
        string missing = Path.Combine(Fixture.Directory, "nope.db");

        var (exit, stdout, stderr) = await RunAsync("--ledger-path", missing);

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("cannot read the audit ledger", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task A_file_that_is_not_a_ledger_is_reported_in_one_line_and_left_alone()
    {
        await File.WriteAllTextAsync(Fixture.Path, new string('x', 4096), Ct);

        var (exit, _, stderr) = await RunAsync("--ledger-path", Fixture.Path);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: cannot read the audit ledger {Fixture.Path}: '{Fixture.Path}' exists and is not a SQLite database", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new string('x', 4096), await File.ReadAllTextAsync(Fixture.Path, Ct));
        Assert.Empty(Directory.GetFiles(Fixture.Directory, "*.corrupt-*"));
    }

    [Fact]
    public async Task NewerSchema_IsRefusedClearly()
    {
        await SqliteFiles.ExecuteAsync(Fixture.Path, "PRAGMA user_version = 99;", Ct);

        var (exit, _, stderr) = await RunAsync("--ledger-path", Fixture.Path);

        Assert.Equal(1, exit);
        Assert.Contains("schema version 99", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OlderSchema_IsReadWithoutMigratingIt()
    {
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Fixture.Path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await LedgerSchema.MigrateAsync(connection, SqliteLedgerDialect.Instance, Fixture.Path, Ct, targetVersion: 1);
        }

        await SqliteFiles.ExecuteAsync(
            Fixture.Path,
            "INSERT INTO audit_events (time_ms, kind, namespace, api_key, actor) VALUES (1795435200000, 'Revoked', 'payments', 'old', 'apikey-operator');",
            Ct);

        var (exit, stdout, _) = await RunAsync("--ledger-path", Fixture.Path);

        Assert.Equal(0, exit);
        Assert.Contains("Revoked", stdout, StringComparison.Ordinal);
        Assert.Equal("1", await SqliteFiles.ScalarAsync(Fixture.Path, "PRAGMA user_version;", Ct));
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--since", "yesterday")]
    [InlineData("--continue", "bogus")]
    public async Task BadArguments_ExitOneNamingTheOption(string option, string value)
    {
        await SeedAsync();

        var (exit, _, stderr) = await RunAsync("--ledger-path", Fixture.Path, option, value);

        Assert.Equal(1, exit);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOutputFormat_IsAParseError()
    {
        var (exit, _, stderr) = await RunAsync("-o", "yaml");

        Assert.NotEqual(0, exit);
        Assert.Contains("yaml", stderr, StringComparison.Ordinal);
    }

    private static IEnumerable<string?> Kinds(JsonDocument page) =>
        page.RootElement.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("kind").GetString());

    private async Task<SqliteAuditLedger> SeedAsync()
    {
        SqliteAuditLedger ledger = Fixture.Open();
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(), Ct));
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(ns: "search"), Ct));
        Fixture.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.RotationStarted) with { Reason = "contractor left", Rotation = "billing-exporter-1" }, Ct));
        Fixture.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(AuditEventKinds.Deleted) with { Actor = AuditActors.Operator }, Ct));
        return ledger;
    }

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(_ => null, args);

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Func<string, string?> env, params string[] args)
    {
        Command command = AuditCommand.Create(Fixture.Time, env);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
