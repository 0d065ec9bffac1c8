using System.CommandLine;
using System.Data.Common;
using ApiKeyOperator.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// <c>apikey-operator audit [--ledger URL | --ledger-file FILE | --ledger-path FILE] [--namespace] [--apikey] [--since] [--limit]
/// [--continue] [-o table|json]</c>: prints audit rows, newest first, from the same ledger <c>run</c> uses (chosen the same
/// way, <see cref="LedgerLocation"/>). It only reads: a SQLite file is opened read-only and nothing is created beside it
/// (it works on a read-only volume); a PostgreSQL session is read-only. A missing, damaged, foreign or newer ledger is
/// reported in one line (exit code 1) and left exactly as it is, so it is safe to run beside a live operator.
/// </summary>
public static class AuditCommand
{
    private const string TableFormat = "table";
    private const string JsonFormat = "json";

    public static Command Create(TimeProvider? timeProvider = null, Func<string, string?>? environment = null)
    {
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        Func<string, string?> env = environment ?? Environment.GetEnvironmentVariable;
        var ledgerPath = new Option<string>("--ledger-path")
        {
            Description = "The SQLite ledger file.",
            DefaultValueFactory = _ => LedgerOptions.DefaultPath,
        };
        var ledgerUrl = new Option<string?>("--ledger")
        {
            Description = $"The ledger as a URL: sqlite:///path or postgres://… (default ${LedgerLocation.EnvironmentVariable}, else --ledger-path).",
        };
        var ledgerFile = new Option<string?>("--ledger-file") { Description = "A file holding the --ledger URL (a mounted Secret)." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace." };
        var apiKey = new Option<string?>("--apikey") { Description = "Only this ApiKey." };
        var since = new Option<string?>("--since")
        {
            Description = "Only rows at or after an RFC 3339 time, a date, or a look-back such as 30m, 24h or 7d.",
        };
        var limit = new Option<int>("--limit")
        {
            Description = $"At most this many rows (1 to {AuditQuery.MaxLimit}).",
            DefaultValueFactory = _ => AuditQuery.DefaultLimit,
        };
        var continueToken = new Option<string?>("--continue") { Description = "Continue after a previous JSON page." };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => TableFormat,
        };
        output.AcceptOnlyFromAmong(TableFormat, JsonFormat);

        var command = new Command("audit", "Show the audit trail recorded in the ledger.")
        {
            ledgerUrl, ledgerFile, ledgerPath, ns, apiKey, since, limit, continueToken, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            var query = new AuditQuery
            {
                Namespace = parseResult.GetValue(ns),
                ApiKey = parseResult.GetValue(apiKey),
                Limit = parseResult.GetValue(limit),
                Continue = parseResult.GetValue(continueToken),
            };
            if (parseResult.GetValue(since) is { } sinceText)
            {
                if (!AuditSince.TryParse(sinceText, clock.GetUtcNow(), out DateTime sinceValue))
                {
                    await stderr.WriteLineAsync($"error: --since \"{sinceText}\" is not an RFC 3339 time, a date, or a duration such as 24h");
                    return 1;
                }

                query = query with { Since = sinceValue };
            }

            LedgerOptions ledger;
            try
            {
                ledger = LedgerLocation.Resolve(
                    new LedgerOptions(),
                    parseResult.GetValue(ledgerUrl),
                    parseResult.GetValue(ledgerFile),
                    parseResult.GetResult(ledgerPath) is { Implicit: false } ? parseResult.GetValue(ledgerPath) ?? string.Empty : null,
                    env);
            }
            catch (OperatorConfigurationException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }

            AuditPage page;
            string where = ledger.Postgres?.Display ?? Path.GetFullPath(ledger.Path);
            try
            {
                page = ledger.Postgres is { } postgres
                    ? await ReadPostgresAsync(postgres, query, cancellationToken)
                    : await ReadSqliteAsync(where, query, cancellationToken);
            }
            catch (ArgumentException ex) when (ex.ParamName is "limit" or "continue")
            {
                await stderr.WriteLineAsync($"error: --{ex.ParamName}: {ex.Message}");
                return 1;
            }
            catch (Exception ex) when (ex is DbException or LedgerSchemaException or FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: cannot read the audit ledger {where}: {OneLine(ex.Message)}");
                return 1;
            }

            if (parseResult.GetValue(output) == JsonFormat)
            {
                await stdout.WriteLineAsync(AuditJson.Serialize(page, indented: true));
            }
            else
            {
                await stdout.WriteAsync(AuditTable.Format(page.Items));
                if (page.Continue is not null)
                {
                    await stderr.WriteLineAsync("more rows: use --limit or -o json for the --continue token");
                }
            }

            return 0;
        });
        return command;
    }

    private static async Task<AuditPage> ReadSqliteAsync(string path, AuditQuery query, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no such file", path);
        }

        SqliteLedgerFile.RefuseIfNotSqlite(path);
        // Read-only, unpooled, and immutable when no writer is at work: the CLI never creates, migrates or repairs the
        // operator's file, nor leaves -wal/-shm files beside it.
        await using var connection = new SqliteConnection(SqliteLedgerFile.ReadOnlyConnectionString(path));
        await connection.OpenAsync(cancellationToken);
        int version = await SqliteLedgerDialect.Instance.ReadVersionAsync(connection, null, cancellationToken);
        return await QueryAsync(connection, version, path, query, cancellationToken);
    }

    private static async Task<AuditPage> ReadPostgresAsync(PostgresDsn postgres, AuditQuery query, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        // The server itself refuses any write of this session.
        builder.Options = string.Join(' ', new[] { builder.Options, "-c default_transaction_read_only=on" }.Where(o => !string.IsNullOrEmpty(o)));
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        int version = await PostgresLedgerDialect.Instance.ReadVersionAsync(connection, null, cancellationToken);
        return await QueryAsync(connection, version, postgres.Display, query, cancellationToken);
    }

    private static Task<AuditPage> QueryAsync(DbConnection connection, int version, string where, AuditQuery query, CancellationToken cancellationToken)
    {
        if (version == 0)
        {
            throw new LedgerSchemaException($"'{where}' is not an audit ledger (schema version 0).");
        }

        LedgerSchema.ThrowIfTooNew(version, where);
        return AuditQueryRunner.QueryAsync(connection, query, cancellationToken, version);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
