using ApiKeyOperator.IntegrationTests.Harness;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>
/// A KubeSim of one test class's own. KubeSim's faults are server-wide, so tests that fail writes or drop
/// watches must not share a server with tests running in parallel; tests of one class run one at a time.
/// </summary>
public sealed class PrivateSimFixture : ClusterFixture
{
    public override TestBackendKind Kind => TestBackendKind.Sim;
}
