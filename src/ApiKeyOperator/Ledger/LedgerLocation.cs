using ApiKeyOperator.Hosting;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Chooses the ledger from what the user gave, the same way for <c>run</c> and for the <c>audit</c> CLI: at most one of
/// <c>--ledger</c> (a URL), <c>--ledger-file</c> (a file holding the URL: a mounted Secret) and <c>--ledger-path</c> (a
/// SQLite file); with none of them, the <see cref="EnvironmentVariable"/> (a Secret through <c>secretKeyRef</c>), else
/// the default SQLite file. A URL is <c>sqlite:///abs/path</c>, <c>sqlite://relative/path</c> or <c>postgres://…</c>.
/// No message ever repeats a URL, which may carry a password.
/// </summary>
public static class LedgerLocation
{
    public const string EnvironmentVariable = "APIKEY_OPERATOR_LEDGER";

    private const string SqliteScheme = "sqlite://";

    /// <param name="ledgerPath">--ledger-path when given on the command line (null when left at its default).</param>
    /// <exception cref="OperatorConfigurationException">The choice is ambiguous or unusable; the message is one line.</exception>
    public static LedgerOptions Resolve(
        LedgerOptions options, string? ledger, string? ledgerFile, string? ledgerPath, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (new[] { ledger, ledgerFile, ledgerPath }.Count(v => v is not null) > 1)
        {
            throw new OperatorConfigurationException("give only one of --ledger, --ledger-file and --ledger-path");
        }

        if (ledgerPath is not null)
        {
            return string.IsNullOrWhiteSpace(ledgerPath)
                ? throw new OperatorConfigurationException("--ledger-path must not be empty")
                : options with { Path = ledgerPath, Postgres = null };
        }

        if (ledger is not null)
        {
            return Parse(options, ledger, "--ledger");
        }

        if (ledgerFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(ledgerFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new OperatorConfigurationException($"--ledger-file {ledgerFile}: {e.Message}");
            }

            return Parse(options, text, $"--ledger-file {ledgerFile}");
        }

        return environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? Parse(options, fromEnvironment.Trim(), EnvironmentVariable)
            : options;
    }

    private static LedgerOptions Parse(LedgerOptions options, string url, string source)
    {
        if (url.StartsWith(SqliteScheme, StringComparison.Ordinal))
        {
            string path = url[SqliteScheme.Length..];
            return path.Length == 0
                ? throw new OperatorConfigurationException($"{source}: sqlite:// needs a file path (sqlite:///var/lib/ledger.db)")
                : options with { Path = path, Postgres = null };
        }

        if (!url.StartsWith("postgres://", StringComparison.Ordinal) && !url.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            throw new OperatorConfigurationException($"{source}: the ledger is a sqlite://, postgres:// or postgresql:// URL");
        }

        try
        {
            return options with { Postgres = PostgresDsn.Parse(url, source) };
        }
        catch (FormatException e)
        {
            throw new OperatorConfigurationException(e.Message);
        }
    }
}
