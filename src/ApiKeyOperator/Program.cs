using System.CommandLine;
using ApiKeyOperator;
using ApiKeyOperator.Cli;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;

var root = OperatorCommands.Build(
    OperatorModules.All,
    RotateCommand.Create(Console.Out, Console.Error),
    StatusCommand.Create(Console.Out, Console.Error),
    AuditCommand.Create());

// A graceful stop waits for reconciles in flight; give it longer than System.CommandLine's default 2 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(40) });
