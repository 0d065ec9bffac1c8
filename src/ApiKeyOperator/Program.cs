using System.CommandLine;
using ApiKeyOperator.Hosting;

// Features plug in here: a module registers its controllers (e.g. the ApiKey controller), extra subcommands
// (rotate, status, audit) go after the modules.
IOperatorModule[] modules = [];
var root = OperatorCommands.Build(modules);

// A graceful stop waits for reconciles in flight; give it longer than System.CommandLine's default 2 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(40) });
