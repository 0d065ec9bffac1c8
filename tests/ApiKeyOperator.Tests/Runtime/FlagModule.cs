using System.CommandLine;
using ApiKeyOperator.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>A module with a flag of its own, as the ledger's <c>--ledger-path</c> will be.</summary>
internal sealed class FlagModule : IOperatorModule
{
    public Option<string> LedgerPath { get; } = new("--ledger-path") { DefaultValueFactory = _ => "ledger.db" };

    public IReadOnlyList<Option> Options => [LedgerPath];

    public void ConfigureServices(IServiceCollection services, OperatorOptions options) =>
        services.AddSingleton(new Location(options.GetValue(LedgerPath)!));

    public sealed record Location(string Path);
}
