namespace KubeSim.Conformance;

/// <summary>Manifests the cases create.</summary>
internal static class Workloads
{
    public static string Deployment(string name, int replicas) => Template.Fill("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"@0"},
         "spec":{"replicas":@1,"selector":{"matchLabels":{"app":"@2"}},
          "template":{"metadata":{"labels":{"app":"@3"}},"spec":{"containers":[{"name":"main","image":"registry.k8s.io/pause:3.9"}]}}}}
        """, name, replicas, name, name);

    /// <summary>A namespaced CRD whose spec has size (1–10) and mode; the extras are spliced into spec's and mode's schema.</summary>
    public static string Crd(string group, string plural, string kind, string extraSpecSchema = "", string extraModeSchema = "") => Template.Fill("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"@0.@1"},
         "spec":{"group":"@2","scope":"Namespaced","names":{"plural":"@3","singular":"@4","kind":"@5"},
          "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object"@6,"properties":{"size":{"type":"integer","minimum":1,"maximum":10},"mode":{"type":"string"@7}}},
            "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}
        """, plural, group, group, plural, kind.ToLowerInvariant(), kind, extraSpecSchema, extraModeSchema);
}
