using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>
/// Tests that inject faults into the shared KubeSim by resource (e.g. every apikeys/status write): they run
/// alone, after the parallel tests, so that no other test's writes consume or suffer their faults.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultInjectionCollection
{
    public const string Name = "KubeSim fault injection";
}
