using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ApiKeyOperator.Hosting.Logging;

/// <summary>The operator's console logging: zap-shaped JSON or text on stdout, at the level of <c>--log-level</c>.</summary>
public static class OperatorLogging
{
    public static void Configure(ILoggingBuilder logging, LogLevel level, string format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // The host's own startup and BackgroundService failure reports are multi-line and name host settings; the
        // operator reports those failures itself, in one line (OperatorHost, StartupFailure).
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        logging.AddConsole(o => o.FormatterName = format == "text" ? ZapTextFormatter.FormatterName : ZapJsonFormatter.FormatterName);
        logging.Services.AddSingleton<ConsoleFormatter>(sp => new ZapJsonFormatter(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        logging.Services.AddSingleton<ConsoleFormatter>(sp => new ZapTextFormatter(sp.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
