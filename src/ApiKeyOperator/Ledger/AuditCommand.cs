using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ApiKeyOperator.Ledger;

/// <summary>
/// <c>apikey-operator audit [--ledger-path] [--namespace] [--apikey] [--since] [--limit] [--continue] [-o table|json]</c>:
/// prints audit rows from a ledger file, newest first. It only reads: a missing, damaged or newer file is
/// reported (exit code 1) and left exactly as it is, so it is safe to run beside a live operator.
/// </summary>
public static class AuditCommand
{
    private const string TableFormat = "table";
    private const string JsonFormat = "json";

    public static Command Create(TimeProvider? timeProvider = null)
    {
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        var ledgerPath = new Option<string>("--ledger-path")
        {
            Description = "The audit ledger file.",
            DefaultValueFactory = _ => LedgerOptions.DefaultPath,
        };
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

        var command = new Command("audit", "Show the audit trail recorded in the ledger file.")
        {
            ledgerPath, ns, apiKey, since, limit, continueToken, output,
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

            string path = Path.GetFullPath(parseResult.GetRequiredValue(ledgerPath));
            AuditPage page;
            try
            {
                page = await ReadAsync(path, query, cancellationToken);
            }
            catch (ArgumentException ex) when (ex.ParamName is "limit" or "continue")
            {
                await stderr.WriteLineAsync($"error: --{ex.ParamName}: {ex.Message}");
                return 1;
            }
            catch (Exception ex) when (ex is SqliteException or LedgerSchemaException or FileNotFoundException)
            {
                await stderr.WriteLineAsync($"error: cannot read the audit ledger {path}: {ex.Message}");
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

    private static async Task<AuditPage> ReadAsync(string path, AuditQuery query, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no such file", path);
        }

        // Read-only and unpooled: the CLI never creates, migrates or repairs the operator's file.
        string connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        int version = await LedgerSchema.ReadVersionAsync(connection, null, cancellationToken);
        if (version == 0)
        {
            throw new LedgerSchemaException($"'{path}' is not an audit ledger (schema version 0).");
        }

        LedgerSchema.ThrowIfTooNew(version, path);
        return await AuditQueryRunner.QueryAsync(connection, query, cancellationToken);
    }
}
