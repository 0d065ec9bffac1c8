using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// A feature plugged into the operator host: registers its controllers (<c>services.AddController&lt;…&gt;</c>),
/// readiness checks and services, and may add flags to <c>run</c>. Program.cs lists the modules; tests pass them
/// (or a callback) to <see cref="OperatorHost.StartAsync(string[], IReadOnlyList{IOperatorModule}, Action{IServiceCollection}?, CancellationToken)"/>.
/// </summary>
public interface IOperatorModule
{
    /// <summary>Flags this module adds to <c>run</c> (e.g. <c>--ledger-path</c>); read them with <see cref="OperatorOptions.GetValue{T}"/>.</summary>
    IReadOnlyList<Option> Options => [];

    /// <summary>The <see cref="OperatorComponents"/> this module belongs to; it runs when <c>--components</c> selects one of them.</summary>
    IReadOnlyList<string> Components => [OperatorComponents.Controllers];

    void ConfigureServices(IServiceCollection services, OperatorOptions options);
}
