using System.Runtime.InteropServices;
using KubeSim;
using Microsoft.Extensions.Logging;

// Standalone KubeSim: dotnet run --project tests/KubeSim -- --port 0 --kubeconfig <path> (see --help)
StandaloneArguments arguments;
try
{
    arguments = StandaloneArguments.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"KubeSim: {ex.Message}");
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(StandaloneArguments.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

await using (var server = await KubeSimServer.StartAsync(arguments.Options, loggerFactory, stop.Token))
{
    if (arguments.UsersFile is { } users)
    {
        try
        {
            using var reader = File.OpenText(users);
            server.Identities.Load(reader);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"KubeSim: --users {users}: {ex.Message}");
            return 2;
        }
    }

    if (arguments.Kubeconfig is not null)
    {
        server.WriteKubeconfig(arguments.Kubeconfig);
    }

    Console.WriteLine(server.Url.ToString().TrimEnd('/'));
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // SIGTERM or SIGINT: shut down cleanly.
    }
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

// The standalone entry point is not part of the library surface (ASP.NET Core would make it public).
internal partial class Program;
