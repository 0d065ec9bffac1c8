using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Hosting;

/// <summary>
/// A feature plugged into the operator host: registers its controllers (<c>services.AddController&lt;…&gt;</c>),
/// readiness checks and services. Program.cs lists the modules; tests pass a callback instead.
/// </summary>
public interface IOperatorModule
{
    void ConfigureServices(IServiceCollection services, OperatorOptions options);
}
