using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ApiKeyOperator.Tests.Cli;

/// <summary>An ILogger that writes each call through a console formatter into a StringWriter, as the console logger does.</summary>
internal sealed class FormatterLogger(ConsoleFormatter formatter, string category) : ILogger
{
    private readonly LoggerExternalScopeProvider _scopes = new();
    private readonly StringWriter _output = new();

    public string Output => _output.ToString();

    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _scopes.Push(state);

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter1) =>
        formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter1), _scopes, _output);
}
