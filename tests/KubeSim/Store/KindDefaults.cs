using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>The per-kind defaulting and normalisation kube-apiserver performs on write.</summary>
internal static class KindDefaults
{
    public static void Apply(ResourceDefinition definition, JsonObject obj, bool creating)
    {
        if (definition.IsCustom)
        {
            return;
        }

        switch (definition.Group, definition.Kind)
        {
            case ("", "Secret"):
                MergeStringData(obj);
                obj["type"] ??= "Opaque";
                break;
            case ("", "Namespace"):
                ObjectMeta.Metadata(obj)["labels"] ??= new JsonObject();
                ObjectMeta.Metadata(obj)["labels"]!["kubernetes.io/metadata.name"] = ObjectMeta.Name(obj);
                Spec(obj)["finalizers"] ??= new JsonArray("kubernetes");
                if (creating)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Active" };
                }

                break;
            case ("", "Service"):
                ServiceDefaults.Apply(obj, creating);
                break;
            case ("", "Pod") when creating:
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("apps", "Deployment"):
                Spec(obj)["replicas"] ??= 1;
                Spec(obj)["progressDeadlineSeconds"] ??= 600;
                Spec(obj)["revisionHistoryLimit"] ??= 10;
                Spec(obj)["strategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                };
                break;
            case ("apps", "StatefulSet"):
                Spec(obj)["replicas"] ??= 1;
                Spec(obj)["podManagementPolicy"] ??= "OrderedReady";
                Spec(obj)["revisionHistoryLimit"] ??= 10;
                Spec(obj)["updateStrategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["partition"] = 0 },
                };
                break;
            case ("apps", "DaemonSet"):
                Spec(obj)["revisionHistoryLimit"] ??= 10;
                Spec(obj)["updateStrategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 },
                };
                break;
            case ("apps", "ReplicaSet"):
                Spec(obj)["replicas"] ??= 1;
                break;
        }
    }

    // A stable address in 10.96.0.0/16 (the usual service CIDR) derived from the uid; nothing routes to it.
    private static JsonObject Spec(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            obj["spec"] = spec;
        }

        return spec;
    }

    // stringData is write-only: the API server folds it into data (base64) and never returns it.
    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            data = new JsonObject();
            secret["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            var text = value?.GetValue<string>() ?? "";
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        secret.Remove("stringData");
    }
}
