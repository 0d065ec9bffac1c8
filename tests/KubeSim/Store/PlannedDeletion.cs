using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>A delete one of KubeSim's controllers decided on, made (through admission) as that controller's user.</summary>
internal sealed record PlannedDeletion(ResourceDefinition Definition, JsonObject Object, AuthUser Actor)
{
    public static readonly AuthUser GarbageCollector = Controller("generic-garbage-collector");

    public static readonly AuthUser NamespaceController = Controller("namespace-controller");

    private static AuthUser Controller(string name) =>
        new($"system:serviceaccount:kube-system:{name}", "", KubeSimIdentities.CompleteGroups($"system:serviceaccount:kube-system:{name}", []));
}
