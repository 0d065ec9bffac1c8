using System.CommandLine;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// The command tree of <c>apikey-operator</c>: <c>run</c> (also what the bare command does) plus the subcommands
/// other features add (<c>rotate</c>, <c>status</c>, <c>audit</c>) as small <see cref="Command"/> factories.
/// </summary>
public static class OperatorCommands
{
    /// <summary>Builds the root command; <paramref name="modules"/> plug controllers into <c>run</c>.</summary>
    public static RootCommand Build(IReadOnlyList<IOperatorModule> modules, params Command[] subcommands)
    {
        ArgumentNullException.ThrowIfNull(subcommands);
        var root = new RootCommand("ApiKeyOperator: API keys as Kubernetes custom resources");
        Configure(root, modules);
        var run = new Command("run", "Run the operator (the default)");
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
            var operatorOptions = options.Bind(result);
            OperatorHost host;
            try
            {
                host = await OperatorHost.StartAsync(operatorOptions, modules, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (OperatorConfigurationException e)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM or Ctrl+C: stop gracefully below.
            }

            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        });
    }
}
