using Xunit;

namespace KubeSim.Tests.Standalone;

/// <summary>Install-style manifests (namespace, RBAC, service account, Deployment, Service, PDB) apply with kubectl.</summary>
public sealed class KubectlInstallManifestTests
{
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: system}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: manager, namespace: system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: manager-role}
        rules:
        - apiGroups: [""]
          resources: [secrets]
          verbs: [get, list, watch, create, update, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: manager-rolebinding}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: manager-role}
        subjects:
        - {kind: ServiceAccount, name: manager, namespace: system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: leader-election, namespace: system}
        rules:
        - apiGroups: [coordination.k8s.io]
          resources: [leases]
          verbs: [get, create, update]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: leader-election, namespace: system}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: leader-election}
        subjects:
        - {kind: ServiceAccount, name: manager, namespace: system}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: metrics, namespace: system}
        spec:
          selector: {app: manager}
          ports:
          - {name: metrics, port: 8080, targetPort: 8080}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: manager, namespace: system}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: manager}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Install_manifests_apply_and_read_back()
    {
        if (!Kubectl.IsInstalled())
        {
            Assert.Skip("kubectl is not on PATH");
        }

        await using var sim = await StandaloneKubeSim.StartAsync(Ct);
        var kubectl = new Kubectl(sim);
        var path = Path.Combine(sim.Directory, "install.yaml");
        await File.WriteAllTextAsync(path, Manifests, Ct);

        var apply = await kubectl.RunAsync(Ct, "apply", "-f", path);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal(
            [
                "namespace/system created",
                "serviceaccount/manager created",
                "clusterrole.rbac.authorization.k8s.io/manager-role created",
                "clusterrolebinding.rbac.authorization.k8s.io/manager-rolebinding created",
                "role.rbac.authorization.k8s.io/leader-election created",
                "rolebinding.rbac.authorization.k8s.io/leader-election created",
                "service/metrics created",
                "poddisruptionbudget.policy/manager created",
            ],
            apply.Stdout.Trim().Split('\n'));
        var services = (await kubectl.RunAsync(Ct, "get", "svc", "-n", "system")).Table;
        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], services[0]);
        Assert.Equal(["metrics", "ClusterIP"], services[1][..2]);
        Assert.StartsWith("10.96.", services[1][2], StringComparison.Ordinal);
        Assert.Equal(["<none>", "8080/TCP"], services[1][3..5]);
        var verbs = await kubectl.RunAsync(Ct, "get", "clusterrole", "manager-role", "-o", "jsonpath={.rules[0].verbs}");
        Assert.Equal("""["get","list","watch","create","update","patch"]""", verbs.Stdout);
        const string Manager = "--as=system:serviceaccount:system:manager";
        var canGet = await kubectl.RunAsync(Ct, "auth", "can-i", "get", "secrets", Manager);
        var canDelete = await kubectl.RunAsync(Ct, "auth", "can-i", "delete", "secrets", Manager);
        var canLease = await kubectl.RunAsync(Ct, "auth", "can-i", "update", "leases.coordination.k8s.io", "-n", "system", Manager);
        Assert.Equal((0, "yes"), (canGet.ExitCode, canGet.Stdout.Trim()));
        Assert.Equal((1, "no"), (canDelete.ExitCode, canDelete.Stdout.Trim()));
        Assert.Equal((0, "yes"), (canLease.ExitCode, canLease.Stdout.Trim()));

        var pdbVersion = await kubectl.RunAsync(Ct, "get", "pdb", "manager", "-n", "system", "-o", "jsonpath={.metadata.resourceVersion}");
        var again = await kubectl.RunAsync(Ct, "apply", "-f", path);
        // kubectl always sends the PDB selector (patchStrategy=replace) and so reports "configured", as against a real
        // cluster; the server must still see no change.
        Assert.All(again.Stdout.Trim().Split('\n').Where(l => !l.StartsWith("poddisruptionbudget", StringComparison.Ordinal)),
            line => Assert.EndsWith(" unchanged", line, StringComparison.Ordinal));
        Assert.Equal(pdbVersion.Stdout, (await kubectl.RunAsync(Ct, "get", "pdb", "manager", "-n", "system", "-o", "jsonpath={.metadata.resourceVersion}")).Stdout);
    }
}
