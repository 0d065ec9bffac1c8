using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class LedgerLocationTests : LedgerTestBase
{
    private const string Secret = "s3cr3t-Pa55";
    private static readonly LedgerOptions Defaults = new();

    [Theory]
    [InlineData("sqlite:///var/lib/apikey-operator/ledger.db", "/var/lib/apikey-operator/ledger.db")]
    [InlineData("sqlite://relative/ledger.db", "relative/ledger.db")]
    public void A_sqlite_url_names_the_file(string url, string path)
    {
        LedgerOptions options = LedgerLocation.Resolve(Defaults, url, null, null, NoEnvironment);

        Assert.Equal(path, options.Path);
        Assert.Null(options.Postgres);
    }

    [Fact]
    public void A_postgres_url_becomes_a_connection_string_and_a_display_without_the_password()
    {
        LedgerOptions options = LedgerLocation.Resolve(
            Defaults, $"postgres://audit:{Secret}@db-0.db:5433,db-1.db:5433/ledger?sslmode=verify-full&sslrootcert=/etc/ca.crt", null, null, NoEnvironment);

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(options.Postgres!.ConnectionString);
        Assert.Equal(("db-0.db:5433,db-1.db:5433", "audit", Secret, "ledger"), (builder.Host, builder.Username, builder.Password, builder.Database));
        Assert.Equal((Npgsql.SslMode.VerifyFull, "/etc/ca.crt"), (builder.SslMode, builder.RootCertificate));
        Assert.Equal("postgres://audit:***@db-0.db:5433,db-1.db:5433/ledger?sslmode=verify-full&sslrootcert=/etc/ca.crt", options.Postgres.Display);
        Assert.Equal(options.Postgres.Display, options.Postgres.ToString());
        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_variable_is_used_when_no_flag_names_the_ledger_and_a_flag_wins_over_it()
    {
        Func<string, string?> environment = name => name == LedgerLocation.EnvironmentVariable ? $"postgresql://audit:{Secret}@pg/ledger" : null;

        Assert.NotNull(LedgerLocation.Resolve(Defaults, null, null, null, environment).Postgres);
        Assert.Equal("/data/l.db", LedgerLocation.Resolve(Defaults, null, null, "/data/l.db", environment).Path);
        Assert.Null(LedgerLocation.Resolve(Defaults, "sqlite:///x.db", null, null, environment).Postgres);
        Assert.Equal(LedgerOptions.DefaultPath, LedgerLocation.Resolve(Defaults, null, null, null, NoEnvironment).Path);
    }

    [Fact]
    public async Task A_ledger_file_holds_the_url_as_a_mounted_secret_does()
    {
        string file = Path.Combine(Fixture.Directory, "dsn");
        await File.WriteAllTextAsync(file, $"postgres://audit:{Secret}@pg:5432/ledger\n", Ct);

        LedgerOptions options = LedgerLocation.Resolve(Defaults, null, file, null, NoEnvironment);

        Assert.Equal("postgres://audit:***@pg:5432/ledger", options.Postgres!.Display);
    }

    [Theory]
    [InlineData("sqlite:///a.db", null, "/b.db", "give only one of --ledger, --ledger-file and --ledger-path")]
    [InlineData(null, null, "", "--ledger-path must not be empty")]
    [InlineData("mysql://audit:s3cr3t-Pa55@db/ledger", null, null, "--ledger: the ledger is a sqlite://, postgres:// or postgresql:// URL")]
    [InlineData("sqlite://", null, null, "--ledger: sqlite:// needs a file path (sqlite:///var/lib/ledger.db)")]
    [InlineData("postgres://audit:s3cr3t-Pa55@pg:99999/ledger", null, null, "--ledger: '99999' is not a port")]
    [InlineData("postgres://audit:s3cr3t-Pa55@pg/ledger?password=s3cr3t-Pa55", null, null, "--ledger: unknown URL parameter 'password'")]
    [InlineData("postgres://audit:s3cr3t-Pa55@pg/ledger?sslmode=sometimes", null, null, "--ledger: sslmode 'sometimes' is not one of")]
    [InlineData(null, "/nonexistent/dsn", null, "--ledger-file /nonexistent/dsn:")]
    public void A_bad_choice_is_one_line_naming_the_flag_and_never_the_password(string? ledger, string? ledgerFile, string? ledgerPath, string expected)
    {
        var error = Assert.Throws<OperatorConfigurationException>(() => LedgerLocation.Resolve(Defaults, ledger, ledgerFile, ledgerPath, NoEnvironment));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_bad_url_in_the_environment_names_the_variable()
    {
        var error = Assert.Throws<OperatorConfigurationException>(() =>
            LedgerLocation.Resolve(Defaults, null, null, null, name => name == LedgerLocation.EnvironmentVariable ? $"postgres://audit:{Secret}@" : null));

        Assert.Equal($"{LedgerLocation.EnvironmentVariable}: the PostgreSQL URL names no host", error.Message);
    }

    private static string? NoEnvironment(string name) => null;
}
