using System.Text;
using Microsoft.Data.Sqlite;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// Looks at a file before the ledger touches it, without changing it: an operator pointed at the wrong path must
/// refuse, never rename or rewrite someone else's file. Also builds the read-only connection strings of the
/// <c>audit</c> CLI, which must create nothing beside the file.
/// </summary>
internal static class SqliteLedgerFile
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    /// <summary>Throws <see cref="LedgerSchemaException"/> unless the file is missing, empty, or a SQLite database.</summary>
    public static void RefuseIfNotSqlite(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        byte[] header = new byte[Magic.Length];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (stream.Length == 0)
            {
                return;
            }

            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read < Magic.Length || !header.AsSpan().SequenceEqual(Magic))
        {
            throw new LedgerSchemaException(
                $"'{path}' exists and is not a SQLite database, so it is not an audit ledger; the operator leaves it alone. Point the ledger at the ledger file or at a new path.");
        }
    }

    /// <summary>
    /// A read-only connection that creates no <c>-wal</c>/<c>-shm</c> file: with no <c>-wal</c> beside the file nothing
    /// is being written (the last writer closed cleanly), so it is opened immutable; with one, a writer is at work and
    /// its side files are used as they are.
    /// </summary>
    public static string ReadOnlyConnectionString(string path)
    {
        bool quiet = !File.Exists(path + "-wal");
        return new SqliteConnectionStringBuilder
        {
            DataSource = quiet ? "file:" + Escape(path) + "?immutable=1" : path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
    }

    /// <summary>Tables other than SQLite's own.</summary>
    public static async Task<int> CountTablesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    // SQLite URI file names decode %HH; '?' and '#' would end the path.
    private static string Escape(string path) => path.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3f", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal);
}
