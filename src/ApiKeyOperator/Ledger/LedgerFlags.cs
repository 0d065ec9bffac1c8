using System.CommandLine;
using ApiKeyOperator.Api;

namespace ApiKeyOperator.Ledger;

/// <summary>The <c>run</c> flags of the audit ledger.</summary>
public static class LedgerFlags
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(400);

    public static Option<string> Path { get; } = new("--ledger-path")
    {
        Description = "SQLite file of the audit ledger (created when missing; a corrupt one is moved aside, never deleted)",
        DefaultValueFactory = _ => LedgerOptions.DefaultPath,
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
