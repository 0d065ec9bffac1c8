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
            case ("", "ResourceQuota") when creating:
                // The quota controller publishes the enforced limits; KubeSim counts no usage.
                obj["status"] = new JsonObject { ["hard"] = obj["spec"]?["hard"]?.DeepClone() ?? new JsonObject() };
                break;
            case ("", "Pod") when creating:
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("apps", "Deployment"):
                Spec(obj)["replicas"] ??= 1;
                Spec(obj)["progressDeadlineSeconds"] ??= 600;
                Spec(obj)["revisionHistoryLimit"] ??= 10;
                Strategy(Spec(obj), "strategy", new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" });
                break;
            case ("apps", "StatefulSet"):
                Spec(obj)["replicas"] ??= 1;
                Spec(obj)["podManagementPolicy"] ??= "OrderedReady";
                Spec(obj)["revisionHistoryLimit"] ??= 10;
                Strategy(Spec(obj), "updateStrategy", new JsonObject { ["partition"] = 0 });
                break;
            case ("apps", "DaemonSet"):
                Spec(obj)["revisionHistoryLimit"] ??= 10;
                Strategy(Spec(obj), "updateStrategy", new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 });
                break;
            case ("apps", "ReplicaSet"):
                Spec(obj)["replicas"] ??= 1;
                break;
            case ("batch", "Job"):
                JobDefaults(obj, Spec(obj), creating);
                break;
            case ("batch", "CronJob"):
                Spec(obj)["concurrencyPolicy"] ??= "Allow";
                Spec(obj)["suspend"] ??= false;
                Spec(obj)["successfulJobsHistoryLimit"] ??= 3;
                Spec(obj)["failedJobsHistoryLimit"] ??= 1;
                break;
            case ("scheduling.k8s.io", "PriorityClass"):
                obj["preemptionPolicy"] ??= "PreemptLowerPriority";
                break;
        }
    }

    // kubectl create sends "strategy: {}": an empty or type-less strategy is defaulted like a missing one.
    private static void Strategy(JsonObject spec, string field, JsonObject rollingUpdate)
    {
        if (spec[field] is not JsonObject strategy)
        {
            strategy = new JsonObject();
            spec[field] = strategy;
        }

        strategy["type"] ??= "RollingUpdate";
        if (strategy["type"]?.GetValue<string>() == "RollingUpdate")
        {
            strategy["rollingUpdate"] ??= rollingUpdate;
        }
    }

    // The job controller's selector: the job's uid as a label on the selector and on the pod template.
    private static void JobDefaults(JsonObject job, JsonObject spec, bool creating)
    {
        spec["parallelism"] ??= 1;
        spec["completions"] ??= 1;
        spec["backoffLimit"] ??= 6;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        spec["podReplacementPolicy"] ??= "TerminatingOrFailed";
        if (!creating || spec["manualSelector"]?.GetValue<bool>() == true || ObjectMeta.Get(job, "uid") is not { } uid)
        {
            return;
        }

        var name = ObjectMeta.Name(job);
        spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
        if (spec["template"] is not JsonObject template)
        {
            return;
        }

        var labels = ObjectMeta.Metadata(template)["labels"] as JsonObject ?? [];
        ObjectMeta.Metadata(template)["labels"] = labels;
        labels["batch.kubernetes.io/controller-uid"] = uid;
        labels["batch.kubernetes.io/job-name"] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
    }

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
