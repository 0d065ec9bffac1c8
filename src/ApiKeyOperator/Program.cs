using ApiKeyOperator.Cli;

return await CommandLineApp.RunAsync(args, Console.Out, Console.Error, ProgramName.Current());
