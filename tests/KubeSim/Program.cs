using System.Globalization;
using System.Runtime.InteropServices;
using KubeSim;
using Microsoft.Extensions.Logging;

// Standalone KubeSim: dotnet run --project tests/KubeSim -- --port 0 --kubeconfig <path> [--enforce-rbac]
var port = 0;
string? kubeconfig = null;
var enforceRbac = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--kubeconfig" when i + 1 < args.Length:
            kubeconfig = args[++i];
            break;
        case "--enforce-rbac":
            enforceRbac = true;
            break;
        default:
            await Console.Error.WriteLineAsync($"usage: KubeSim [--port N] [--kubeconfig PATH] [--enforce-rbac] (unknown argument '{args[i]}')");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

await using (var server = await KubeSimServer.StartAsync(new KubeSimOptions { Port = port, EnforceRbac = enforceRbac }, loggerFactory, stop.Token))
{
    if (kubeconfig is not null)
    {
        server.WriteKubeconfig(kubeconfig);
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
