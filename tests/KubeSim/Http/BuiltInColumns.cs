using System.Text.Json.Nodes;

namespace KubeSim.Http;

/// <summary>The printer columns kube-apiserver shows for built-in kinds (a useful subset).</summary>
internal static class BuiltInColumns
{
    /// <summary>The kind's columns; <paramref name="age"/> renders a timestamp as kubectl's age ("5m").</summary>
    public static IReadOnlyList<TableColumn> For(ResourceDefinition definition, Func<string?, string> age) => (definition.Group, definition.Kind) switch
    {
        ("", "Namespace") => [Text("Status", "The status of the namespace", o => Str(o["status"]?["phase"]))],
        ("", "Secret") =>
        [
            Text("Type", "The type of the secret", o => Str(o["type"])),
            Int("Data", "The number of entries in data", o => (o["data"] as JsonObject)?.Count ?? 0),
        ],
        ("", "ConfigMap") => [Int("Data", "The number of entries in data and binaryData", o => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0))],
        ("", "Pod") =>
        [
            Text("Ready", "The aggregate readiness state of this pod for accepting traffic.", PodReady),
            Text("Status", "The aggregate status of the containers in this pod.", o => Str(o["status"]?["reason"]) is { Length: > 0 } r ? r : Str(o["status"]?["phase"])),
            Int("Restarts", "The number of times the containers in this pod have been restarted.", o =>
                (o["status"]?["containerStatuses"] as JsonArray ?? []).Sum(c => Num(c?["restartCount"]))),
        ],
        ("", "Service") =>
        [
            Text("Type", "The type of the service.", o => Str(o["spec"]?["type"])),
            Text("Cluster-IP", "The cluster IP of the service.", o => Str(o["spec"]?["clusterIP"]) is { Length: > 0 } ip ? ip : "<none>"),
            Text("External-IP", "The external IP of the service.", o => o["spec"]?["externalIPs"] is JsonArray { Count: > 0 } ips ? string.Join(",", ips.Select(Str)) : "<none>"),
            Text("Port(s)", "The ports of the service.", ServicePorts),
        ],
        ("rbac.authorization.k8s.io", "Role" or "ClusterRole") => [Text("Created At", "When the role was created", o => ObjectMeta.Get(o, "creationTimestamp") ?? "")],
        ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding") =>
            [Text("Role", "The role the binding grants", o => $"{Str(o["roleRef"]?["kind"])}/{Str(o["roleRef"]?["name"])}")],
        ("policy", "PodDisruptionBudget") =>
        [
            Text("Min Available", "The minimum number of pods that must be available.", o => Cell(o["spec"]?["minAvailable"])),
            Text("Max Unavailable", "The maximum number of pods that may be unavailable.", o => Cell(o["spec"]?["maxUnavailable"])),
            Int("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", o => Num(o["status"]?["disruptionsAllowed"])),
        ],
        ("apps", "Deployment") =>
        [
            Text("Ready", "Number of the pod with ready state", o => $"{Num(o["status"]?["readyReplicas"])}/{Num(o["spec"]?["replicas"])}"),
            Int("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", o => Num(o["status"]?["updatedReplicas"])),
            Int("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", o => Num(o["status"]?["availableReplicas"])),
        ],
        ("apps", "StatefulSet") => [Text("Ready", "Number of the pod with ready state", o => $"{Num(o["status"]?["readyReplicas"])}/{Num(o["spec"]?["replicas"])}")],
        ("apps", "ReplicaSet") =>
        [
            Int("Desired", "Number of desired pods.", o => Num(o["spec"]?["replicas"])),
            Int("Current", "Number of actual replicas.", o => Num(o["status"]?["replicas"])),
            Int("Ready", "Number of ready replicas.", o => Num(o["status"]?["readyReplicas"])),
        ],
        ("apps", "DaemonSet") =>
        [
            Int("Desired", "The desired number of nodes the daemon pod should run on.", o => Num(o["status"]?["desiredNumberScheduled"])),
            Int("Current", "The number of nodes running at least one daemon pod.", o => Num(o["status"]?["currentNumberScheduled"])),
            Int("Ready", "The number of nodes with a ready daemon pod.", o => Num(o["status"]?["numberReady"])),
            Int("Up-to-date", "The number of nodes running the updated daemon pod.", o => Num(o["status"]?["updatedNumberScheduled"])),
            Int("Available", "The number of nodes with an available daemon pod.", o => Num(o["status"]?["numberAvailable"])),
        ],
        ("", "ResourceQuota") =>
        [
            Text("Request", "Requested and used quantities of the quota.", o => Quota(o, q => !q.StartsWith("limits.", StringComparison.Ordinal))),
            Text("Limit", "Limit quantities of the quota.", o => Quota(o, q => q.StartsWith("limits.", StringComparison.Ordinal))),
        ],
        ("batch", "Job") =>
        [
            Text("Status", "Status of the job.", JobStatus),
            Text("Completions", "The completion status of the job.", o => $"{Num(o["status"]?["succeeded"])}/{Num(o["spec"]?["completions"])}"),
            Text("Duration", "Time required to complete the job.", o => ""),
        ],
        ("batch", "CronJob") =>
        [
            Text("Schedule", "The schedule of the cron job.", o => Str(o["spec"]?["schedule"])),
            Text("Timezone", "The time zone of the schedule.", o => Str(o["spec"]?["timeZone"]) is { Length: > 0 } tz ? tz : "<none>"),
            Text("Suspend", "Whether the cron job is suspended.", o => o["spec"]?["suspend"]?.GetValue<bool>() == true ? "True" : "False"),
            Int("Active", "The number of active jobs.", o => (o["status"]?["active"] as JsonArray)?.Count ?? 0),
            Text("Last Schedule", "When the job was last scheduled.", o => Str(o["status"]?["lastScheduleTime"]) is { Length: > 0 } t ? age(t) : "<none>"),
        ],
        ("networking.k8s.io", "Ingress") =>
        [
            Text("Class", "The ingress class.", o => Str(o["spec"]?["ingressClassName"]) is { Length: > 0 } c ? c : "<none>"),
            Text("Hosts", "The hosts of the rules.", o => (o["spec"]?["rules"] as JsonArray ?? []).Select(r => Str(r?["host"])).Where(h => h.Length > 0).ToList() is { Count: > 0 } hosts ? string.Join(",", hosts) : "*"),
            Text("Address", "The load balancer addresses.", o => ""),
            Text("Ports", "The ports served.", o => o["spec"]?["tls"] is JsonArray { Count: > 0 } ? "80, 443" : "80"),
        ],
        ("scheduling.k8s.io", "PriorityClass") =>
        [
            Int("Value", "The priority value.", o => Num(o["value"])),
            Text("Global-Default", "Whether this is the default priority class.", o => o["globalDefault"]?.GetValue<bool>() == true ? "true" : "false"),
            Text("PreemptionPolicy", "The preemption policy.", o => Str(o["preemptionPolicy"])),
        ],
        ("apiextensions.k8s.io", "CustomResourceDefinition") => [Text("Created At", "When the definition was created", o => ObjectMeta.Get(o, "creationTimestamp") ?? "")],
        ("coordination.k8s.io", "Lease") => [Text("Holder", "The holder of the lease", o => Str(o["spec"]?["holderIdentity"]))],
        // kubectl get events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, with the name only in -o wide.
        (_, "Event") =>
        [
            Text("Last Seen", "Time since the event was last seen", o => age(LastSeen(o))),
            Text("Type", "Event type", o => Str(o["type"])),
            Text("Reason", "Why the event happened", o => Str(o["reason"])),
            Text("Object", "The object the event is about", o =>
                (o["involvedObject"] ?? o["regarding"]) is JsonObject target ? $"{Str(target["kind"]).ToLowerInvariant()}/{Str(target["name"])}" : ""),
            Text("Message", "Human readable message", o => Str(o["message"] ?? o["note"])),
            new("Name", "string", "Name of the event", 1, o => ObjectMeta.Name(o), "name"),
        ],
        _ => [],
    };

    private static string JobStatus(JsonObject job)
    {
        var conditions = (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Where(c => Str(c["status"]) == "True").Select(c => Str(c["type"])).ToList();
        return conditions.Contains("Complete") ? "Complete" : conditions.Contains("Failed") ? "Failed" : job["spec"]?["suspend"]?.GetValue<bool>() == true ? "Suspended" : "Running";
    }

    // kubectl prints quotas as "name: used/hard" pairs.
    private static string Quota(JsonObject quota, Func<string, bool> include)
    {
        var hard = quota["spec"]?["hard"] as JsonObject ?? [];
        var used = quota["status"]?["used"] as JsonObject ?? [];
        return string.Join(", ", hard.Where(kv => include(kv.Key)).Select(kv => $"{kv.Key}: {Str(used[kv.Key]) switch { "" => "0", var u => u }}/{Str(kv.Value)}"));
    }

    private static string? LastSeen(JsonObject e) =>
        new[] { e["lastTimestamp"], e["series"]?["lastObservedTime"], e["eventTime"], e["metadata"]?["creationTimestamp"] }
            .Select(Str).FirstOrDefault(t => t.Length > 0);

    private static string PodReady(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = (pod["status"]?["containerStatuses"] as JsonArray ?? []).Count(c => c?["ready"]?.GetValue<bool>() == true);
        return $"{ready}/{total}";
    }

    private static string ServicePorts(JsonObject service)
    {
        var ports = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => $"{Num(p["port"])}{(p["nodePort"] is null ? "" : $":{Num(p["nodePort"])}")}/{Str(p["protocol"])}")
            .ToList();
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    // An int-or-string field as kubectl prints it: the value, or N/A when unset.
    private static string Cell(JsonNode? node) => node switch
    {
        null => "N/A",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static TableColumn Text(string name, string description, Func<JsonObject, string> cell) => new(name, "string", description, 0, o => cell(o));

    private static TableColumn Int(string name, string description, Func<JsonObject, long> cell) => new(name, "integer", description, 0, o => cell(o));

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static long Num(JsonNode? node) => node is JsonValue v && long.TryParse(v.ToJsonString(), out var n) ? n : 0;
}
