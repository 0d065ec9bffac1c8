using KubeSim;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>
/// A KubeSim of one test class's own that enforces RBAC: requests of any user but the admin are checked against the
/// stored Roles, ClusterRoles and bindings and refused with 403 as kube-apiserver does.
/// </summary>
public sealed class RbacEnforcingSimFixture : ClusterFixture
{
    public override TestBackendKind Kind => TestBackendKind.Sim;

    protected override KubeSimOptions SimOptions => new() { EnforceRbac = true };
}
