using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers;

public sealed class ApiKeyModuleTests
{
    [Fact]
    public void Module_registers_the_apikey_controller()
    {
        var services = new ServiceCollection();

        new ApiKeyModule().ConfigureServices(services, new OperatorOptions());

        var registration = Assert.Single(services, s => s.ServiceType == typeof(IControllerRegistration));
        Assert.Equal("apikey", ((IControllerRegistration)registration.ImplementationInstance!).Name);
    }
}
