using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>The defaults kube-apiserver writes into a core/v1 Service spec (the cluster IP is <see cref="ClusterIpAllocator"/>'s).</summary>
internal static class ServiceDefaults
{
    public static void Apply(JsonObject service, bool creating)
    {
        if (service["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            service["spec"] = spec;
        }

        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if (spec["type"]?.GetValue<string>() != "ExternalName")
        {
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
        }

        if (creating)
        {
            service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }
}
