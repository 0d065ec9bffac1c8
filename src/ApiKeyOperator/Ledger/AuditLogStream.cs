namespace ApiKeyOperator.Ledger;

/// <summary>
/// <c>--audit-log=stdout</c> or <c>--audit-log=FILE</c>: every new row as one <see cref="AuditStreamLine"/>. A file is
/// opened, appended to and closed for each row (rows are rare), so a log rotator may move or truncate it at any time.
/// </summary>
public sealed class AuditLogStream : IAuditStream
{
    public const string Stdout = "stdout";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TextWriter? _stdout;
    private readonly string? _path;

    /// <param name="target"><c>stdout</c> or a file path.</param>
    /// <param name="stdout">Standard output (tests pass their own writer).</param>
    public AuditLogStream(string target, TextWriter stdout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(stdout);
        if (target == Stdout)
        {
            _stdout = stdout;
        }
        else
        {
            _path = Path.GetFullPath(target);
        }
    }

    /// <summary><c>stdout</c> or the file's absolute path.</summary>
    public string Target => _path ?? Stdout;

    public async Task WriteAsync(AuditEntry row, CancellationToken cancellationToken)
    {
        string line = AuditStreamLine.Format(row) + "\n";
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_stdout is not null)
            {
                await _stdout.WriteAsync(line.AsMemory(), cancellationToken);
                await _stdout.FlushAsync(cancellationToken);
            }
            else
            {
                await File.AppendAllTextAsync(_path!, line, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
