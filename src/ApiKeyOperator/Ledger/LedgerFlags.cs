using System.CommandLine;
using ApiKeyOperator.Api;

namespace ApiKeyOperator.Ledger;

/// <summary>The <c>run</c> flags of the audit ledger (see <see cref="LedgerLocation"/> for how the ledger is chosen).</summary>
public static class LedgerFlags
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(400);

    public static Option<string> Path { get; } = new("--ledger-path")
    {
        Description = "SQLite file of the audit ledger (created when missing; a damaged ledger is moved aside, never deleted; any other file is refused)",
        DefaultValueFactory = _ => LedgerOptions.DefaultPath,
    };

    public static Option<string?> Ledger { get; } = new("--ledger")
    {
        Description = $"The audit ledger as a URL: sqlite:///path/to/ledger.db, or postgres://user:password@host:5432/db?sslmode=verify-full for a trail shared by every replica. Default: ${LedgerLocation.EnvironmentVariable}, else --ledger-path",
    };

    public static Option<string?> LedgerFile { get; } = new("--ledger-file")
    {
        Description = "A file holding the --ledger URL (e.g. a mounted Secret), so the password appears in no command line",
    };

    public static Option<string?> AuditLog { get; } = new("--audit-log")
    {
        Description = "Also write every new audit row as one JSON line to 'stdout' or to this file (for Fluent Bit, Vector, Loki, Splunk)",
    };

    public static Option<TimeSpan> Retention { get; } = new("--audit-retention")
    {
        Description = "Audit rows older than this are purged (Go duration; d for days, e.g. 400d)",
        DefaultValueFactory = _ => DefaultRetention,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (GoDuration.TryParse(text, out var value, out var error) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"--audit-retention: {error ?? "must be greater than 0s"}");
            return default;
        },
    };
}
