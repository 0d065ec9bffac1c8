using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ApiKeyOperator.Cli;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// The command tree of <c>apikey-operator</c>: <c>run</c> (the operator) plus the subcommands other features add
/// (<c>rotate</c>, <c>status</c>, <c>audit</c>, …) as small <see cref="Command"/> factories. Without a command it
/// prints help and starts nothing.
/// </summary>
public static class OperatorCommands
{
    /// <summary>Builds the root command; <paramref name="modules"/> plug controllers into <c>run</c>.</summary>
    public static RootCommand Build(IReadOnlyList<IOperatorModule> modules, params Command[] subcommands)
    {
        ArgumentNullException.ThrowIfNull(subcommands);
        var root = new RootCommand("ApiKeyOperator: API keys as Kubernetes custom resources. `run` starts the operator; the other commands are a kubectl-style client.");
        GoDurationHelpAction.Install(root);
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersionAction();
        var help = root.Options.OfType<HelpOption>().Single();
        root.SetAction(result => ((SynchronousCommandLineAction)help.Action!).Invoke(result));

        var run = new Command("run", "Run the operator: controllers, metrics and health endpoints, and every module's servers");
        Configure(run, modules);
        root.Subcommands.Add(run);
        foreach (var subcommand in subcommands)
        {
            root.Subcommands.Add(subcommand);
        }

        return root;
    }

    /// <summary>
    /// Parses the flags of <c>run</c>, the modules' included (a leading <c>run</c> is optional); throws
    /// <see cref="ArgumentException"/> on errors.
    /// </summary>
    public static OperatorOptions ParseRunOptions(IReadOnlyList<string> args, IReadOnlyList<IOperatorModule>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new RunCommandOptions();
        var run = new RootCommand();
        options.AddTo(run, modules ?? []);
        var result = run.Parse(args.Count > 0 && args[0] == "run" ? args.Skip(1).ToList() : args);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", result.Errors.Select(e => e.Message)), nameof(args));
        }

        return options.Bind(result);
    }

    private static void Configure(Command command, IReadOnlyList<IOperatorModule> modules)
    {
        var options = new RunCommandOptions();
        options.AddTo(command, modules);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            OperatorHost host;
            try
            {
                host = await OperatorHost.StartAsync(options.Bind(result), modules, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StartupException or OperatorConfigurationException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // SIGTERM while starting: nothing is left running, which is what was asked.
                return ExitCodes.Success;
            }

            // Runs until SIGTERM/Ctrl+C, or until a part of the host fails on its own.
            var failure = await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (failure is not null)
            {
                await error.WriteLineAsync($"error: {failure}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            return ExitCodes.Success;
        });
    }

    /// <summary><c>--version</c>: the release, as in the image tag (<c>v0.1.0</c>).</summary>
    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(OperatorVersion.Tag);
            return ExitCodes.Success;
        }
    }
}
