using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace ApiKeyOperator.Ledger;

/// <summary>kubectl-style columns: upper-case headers, left-aligned, three spaces apart, "-" for empty.</summary>
internal static class AuditTable
{
    private static readonly ImmutableArray<string> Headers = ["TIME", "KIND", "NAMESPACE", "APIKEY", "KEY-ID", "SCOPES", "ACTOR", "ROTATION", "REASON", "MESSAGE"];

    public static string Format(IReadOnlyList<AuditEntry> entries)
    {
        List<string[]> rows = [[.. Headers], .. entries.Select(Cells)];
        int[] widths = [.. Enumerable.Range(0, Headers.Length).Select(column => rows.Max(row => row[column].Length))];
        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            for (int column = 0; column < row.Length; column++)
            {
                bool last = column == row.Length - 1;
                text.Append(last ? row[column] : row[column].PadRight(widths[column] + 3));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string[] Cells(AuditEntry entry) =>
    [
        entry.Time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        entry.Kind,
        entry.Namespace,
        entry.ApiKey,
        OrDash(entry.KeyId),
        entry.Scopes.Count == 0 ? "-" : string.Join(',', entry.Scopes),
        entry.Actor,
        OrDash(entry.Rotation),
        OrDash(entry.Reason),
        OrDash(entry.Message),
    ];

    private static string OrDash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;
}
