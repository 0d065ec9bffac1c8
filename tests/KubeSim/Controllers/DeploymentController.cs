using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// The Deployment controller: one ReplicaSet per pod template (label <c>pod-template-hash</c>), rolling
/// update bounded by maxSurge/maxUnavailable (old pods go once new ones are available), Recreate, pause,
/// and the status the real controller reports, including ProgressDeadlineExceeded.
/// </summary>
internal sealed class DeploymentController(ControllerContext context)
{
    public const string HashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    // When each Deployment (by namespace/name, for its uid) last made progress; only the single work loop touches it.
    private readonly Dictionary<string, (string Uid, DateTimeOffset At)> lastProgress = [];

    public void Reconcile(string ns, string name)
    {
        var deployment = context.Store.Get(WorkloadResources.Deployments, ns, name);
        if (deployment is null || WorkloadObjects.IsDeleting(deployment))
        {
            lastProgress.Remove($"{ns}/{name}");
            return;
        }

        if (context.Lagging(deployment, new WorkItem(WorkloadKind.Deployment, ns, name)))
        {
            return;
        }

        var spec = deployment["spec"] as JsonObject ?? [];
        var desired = WorkloadObjects.Int(spec["replicas"], 1);
        var paused = WorkloadObjects.IsTrue(spec["paused"]);
        var uid = WorkloadObjects.Uid(deployment);
        var hash = TemplateHash.Compute(spec["template"]);
        context.Adopt(WorkloadResources.ReplicaSets, ns, deployment, "Deployment");
        var sets = context.Owned(WorkloadResources.ReplicaSets, ns, uid);
        var newSet = sets.FirstOrDefault(rs => WorkloadObjects.Label(rs, HashLabel) == hash);
        var (maxSurge, maxUnavailable) = Bounds(spec, desired);
        var created = false;
        if (newSet is null && !paused)
        {
            newSet = CreateReplicaSet(deployment, ns, hash, sets, desired, maxSurge);
            sets.Add(newSet);
            created = true;
        }
        else if (newSet is not null && !paused)
        {
            PromoteRevision(ns, newSet, sets);
            SyncMinReadySeconds(ns, newSet, WorkloadObjects.Int(spec["minReadySeconds"], 0));
        }

        if (!paused && newSet is not null)
        {
            var oldSets = sets.Where(rs => !ReferenceEquals(rs, newSet)).ToList();
            if (WorkloadObjects.Text(spec["strategy"]?["type"]) == "Recreate")
            {
                Recreate(ns, newSet, oldSets, desired);
            }
            else
            {
                RollingUpdate(ns, newSet, oldSets, desired, maxSurge, maxUnavailable);
            }
        }
        else if (newSet is not null && sets.All(rs => ReferenceEquals(rs, newSet) || Replicas(rs) == 0))
        {
            // A paused Deployment still scales; it only stops rolling out new templates.
            Scale(ns, newSet, desired);
        }

        CleanUpHistory(ns, spec, sets, newSet);
        RecordRevision(deployment, ns, newSet);
        UpdateStatus(deployment, ns, uid, hash, desired, maxUnavailable, paused, created);
    }

    private static (int MaxSurge, int MaxUnavailable) Bounds(JsonObject spec, int desired)
    {
        var rolling = spec["strategy"]?["rollingUpdate"];
        var surge = WorkloadObjects.Scaled(rolling?["maxSurge"], desired, roundUp: true, fallback: (int)Math.Ceiling(desired * 0.25));
        var unavailable = WorkloadObjects.Scaled(rolling?["maxUnavailable"], desired, roundUp: false, fallback: desired / 4);
        if (WorkloadObjects.Text(spec["strategy"]?["type"]) == "Recreate")
        {
            return (0, desired);
        }

        // Both zero would deadlock a rollout; the API server forbids it and the controller treats it as one.
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, Math.Min(unavailable, desired));
    }

    private JsonObject CreateReplicaSet(JsonObject deployment, string ns, string hash, List<JsonObject> sets, int desired, int maxSurge)
    {
        var name = $"{WorkloadObjects.Name(deployment)}-{hash}";
        var template = (JsonObject)(deployment["spec"]?["template"]?.DeepClone() ?? new JsonObject());
        WorkloadObjects.Child(WorkloadObjects.Child(template, "metadata"), "labels")[HashLabel] = hash;
        var selector = (JsonObject)(deployment["spec"]?["selector"]?.DeepClone() ?? new JsonObject());
        WorkloadObjects.Child(selector, "matchLabels")[HashLabel] = hash;
        var revision = sets.Select(Revision).DefaultIfEmpty(0).Max() + 1;
        var current = sets.Sum(Replicas);
        var replicas = sets.Count == 0 ? desired : Math.Clamp(desired + maxSurge - current, 0, desired);
        var rs = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = WorkloadObjects.LabelsWith(template, []),
                ["annotations"] = new JsonObject
                {
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/desired-replicas"] = desired.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/max-replicas"] = (desired + maxSurge).ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(WorkloadObjects.OwnerReference(deployment, "apps/v1", "Deployment")),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["minReadySeconds"] = WorkloadObjects.Int(deployment["spec"]?["minReadySeconds"], 0),
                ["selector"] = selector,
                ["template"] = template,
            },
        };
        return context.Store.Create(WorkloadResources.ReplicaSets, ns, rs);
    }

    // Going back to an older template (rollout undo) reuses its ReplicaSet, which becomes the newest revision.
    private void PromoteRevision(string ns, JsonObject newSet, List<JsonObject> sets)
    {
        var newest = sets.Where(rs => !ReferenceEquals(rs, newSet)).Select(Revision).DefaultIfEmpty(0).Max();
        if (Revision(newSet) > newest)
        {
            return;
        }

        var revision = (newest + 1).ToString(CultureInfo.InvariantCulture);
        var updated = context.Store.Patch(WorkloadResources.ReplicaSets, ns, WorkloadObjects.Name(newSet), current =>
        {
            WorkloadObjects.Child(WorkloadObjects.Metadata(current), "annotations")[RevisionAnnotation] = revision;
            return current;
        });
        newSet["metadata"] = updated["metadata"]?.DeepClone();
    }

    private void SyncMinReadySeconds(string ns, JsonObject rs, int minReadySeconds)
    {
        if (WorkloadObjects.Int(rs["spec"]?["minReadySeconds"], 0) == minReadySeconds)
        {
            return;
        }

        var updated = context.Store.Patch(WorkloadResources.ReplicaSets, ns, WorkloadObjects.Name(rs), current =>
        {
            WorkloadObjects.Child(current, "spec")["minReadySeconds"] = minReadySeconds;
            return current;
        });
        rs["spec"] = updated["spec"]?.DeepClone();
    }

    private static long Revision(JsonObject rs) =>
        long.TryParse(WorkloadObjects.Annotation(rs, RevisionAnnotation), CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    private void Recreate(string ns, JsonObject newSet, List<JsonObject> oldSets, int desired)
    {
        foreach (var old in oldSets.Where(rs => Replicas(rs) > 0))
        {
            Scale(ns, old, 0);
        }

        if (oldSets.All(rs => WorkloadObjects.Int(rs["status"]?["replicas"], 0) == 0 && Replicas(rs) == 0))
        {
            Scale(ns, newSet, desired);
        }
    }

    private void RollingUpdate(string ns, JsonObject newSet, List<JsonObject> oldSets, int desired, int maxSurge, int maxUnavailable)
    {
        var activeOld = oldSets.Where(rs => Replicas(rs) > 0).ToList();
        if (activeOld.Count == 0)
        {
            Scale(ns, newSet, desired);
            return;
        }

        // Scale up the new ReplicaSet within maxSurge.
        var total = Replicas(newSet) + activeOld.Sum(Replicas);
        var newReplicas = Replicas(newSet);
        if (newReplicas > desired)
        {
            newReplicas = desired;
        }
        else if (total < desired + maxSurge)
        {
            newReplicas = Math.Min(desired, newReplicas + (desired + maxSurge - total));
        }

        Scale(ns, newSet, newReplicas);

        // Scale down old ReplicaSets while keeping desired - maxUnavailable pods available:
        // first their unavailable pods, then available ones as new pods become available.
        var minAvailable = desired - maxUnavailable;
        var allPods = newReplicas + activeOld.Sum(Replicas);
        var newUnavailable = newReplicas - Available(newSet);
        var cleanupBudget = allPods - minAvailable - newUnavailable;
        var remaining = activeOld.ToDictionary(rs => rs, Replicas);
        foreach (var old in activeOld.OrderBy(WorkloadObjects.Created))
        {
            if (cleanupBudget <= 0)
            {
                break;
            }

            var unhealthy = Math.Min(Math.Max(remaining[old] - Available(old), 0), cleanupBudget);
            remaining[old] -= unhealthy;
            cleanupBudget -= unhealthy;
        }

        var availableNow = Available(newSet) + activeOld.Sum(rs => Math.Min(Available(rs), remaining[rs]));
        var scaleDown = availableNow - minAvailable;
        foreach (var old in activeOld.OrderBy(WorkloadObjects.Created))
        {
            if (scaleDown <= 0)
            {
                break;
            }

            var cut = Math.Min(remaining[old], scaleDown);
            remaining[old] -= cut;
            scaleDown -= cut;
        }

        foreach (var old in activeOld)
        {
            Scale(ns, old, remaining[old]);
        }
    }

    private void Scale(string ns, JsonObject rs, int replicas)
    {
        if (Replicas(rs) == replicas)
        {
            return;
        }

        var updated = context.Store.Patch(WorkloadResources.ReplicaSets, ns, WorkloadObjects.Name(rs), current =>
        {
            WorkloadObjects.Child(current, "spec")["replicas"] = replicas;
            return current;
        });
        rs["spec"] = updated["spec"]?.DeepClone();
        rs["metadata"] = updated["metadata"]?.DeepClone();
    }

    // Like the real controller, the Deployment carries the revision of its current ReplicaSet.
    private void RecordRevision(JsonObject deployment, string ns, JsonObject? newSet)
    {
        var revision = newSet is null ? null : WorkloadObjects.Annotation(newSet, RevisionAnnotation);
        if (revision is null || WorkloadObjects.Annotation(deployment, RevisionAnnotation) == revision)
        {
            return;
        }

        var updated = context.Store.Patch(WorkloadResources.Deployments, ns, WorkloadObjects.Name(deployment), current =>
        {
            WorkloadObjects.Child(WorkloadObjects.Metadata(current), "annotations")[RevisionAnnotation] = revision;
            return current;
        });
        deployment["metadata"] = updated["metadata"]?.DeepClone();
    }

    private void CleanUpHistory(string ns, JsonObject spec, List<JsonObject> sets, JsonObject? newSet)
    {
        var limit = WorkloadObjects.Int(spec["revisionHistoryLimit"], 10);
        var retired = sets
            .Where(rs => !ReferenceEquals(rs, newSet) && Replicas(rs) == 0 && WorkloadObjects.Int(rs["status"]?["replicas"], 0) == 0)
            .OrderBy(Revision)
            .ToList();
        foreach (var rs in retired.Take(Math.Max(retired.Count - limit, 0)))
        {
            context.DeleteIfPresent(WorkloadResources.ReplicaSets, ns, WorkloadObjects.Name(rs));
        }
    }

    private void UpdateStatus(JsonObject deployment, string ns, string uid, string hash, int desired, int maxUnavailable, bool paused, bool created)
    {
        // Counts come from the ReplicaSets' own status, as the real controller reads them.
        var sets = context.Owned(WorkloadResources.ReplicaSets, ns, uid);
        var newSet = sets.FirstOrDefault(rs => WorkloadObjects.Label(rs, HashLabel) == hash);
        var replicas = sets.Sum(rs => WorkloadObjects.Int(rs["status"]?["replicas"], 0));
        var updated = newSet is null ? 0 : WorkloadObjects.Int(newSet["status"]?["replicas"], 0);
        var ready = sets.Sum(rs => WorkloadObjects.Int(rs["status"]?["readyReplicas"], 0));
        var available = sets.Sum(Available);
        var previous = deployment["status"] as JsonObject ?? [];
        var status = new JsonObject { ["observedGeneration"] = WorkloadObjects.Generation(deployment) };
        WorkloadObjects.SetOmitEmpty(status, "replicas", replicas);
        WorkloadObjects.SetOmitEmpty(status, "updatedReplicas", updated);
        WorkloadObjects.SetOmitEmpty(status, "readyReplicas", ready);
        WorkloadObjects.SetOmitEmpty(status, "availableReplicas", available);
        WorkloadObjects.SetOmitEmpty(status, "unavailableReplicas", Math.Max(desired - available, 0));

        var now = context.Now;
        var stamp = WorkloadObjects.Timestamp(now);
        var oldConditions = previous["conditions"];
        var availableCondition = available >= desired - maxUnavailable
            ? ConditionList.Make(ConditionList.Find(oldConditions, "Available"), "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", stamp, withUpdateTime: true)
            : ConditionList.Make(ConditionList.Find(oldConditions, "Available"), "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", stamp, withUpdateTime: true);
        var progressing = Progressing(deployment, previous, uid, newSet, desired, replicas, updated, ready, available, paused, created, now);
        status["conditions"] = progressing is null ? new JsonArray(availableCondition) : new JsonArray(availableCondition, progressing);
        context.WriteStatus(WorkloadResources.Deployments, deployment, status);
    }

    private JsonObject? Progressing(JsonObject deployment, JsonObject previous, string uid, JsonObject? newSet, int desired, int replicas, int updated, int ready, int available, bool paused, bool created, DateTimeOffset now)
    {
        var old = ConditionList.Find(previous["conditions"], "Progressing");
        var stamp = WorkloadObjects.Timestamp(now);
        var key = $"{ControllerContext.Namespace(deployment)}/{WorkloadObjects.Name(deployment)}";
        if (paused)
        {
            lastProgress.Remove(key);
            return ConditionList.Make(old, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", stamp, withUpdateTime: true);
        }

        var rsName = newSet is null ? string.Empty : WorkloadObjects.Name(newSet);
        var complete = updated == desired && replicas == desired && available == desired;
        var previousOld = WorkloadObjects.Int(previous["replicas"], 0) - WorkloadObjects.Int(previous["updatedReplicas"], 0);
        var resumed = WorkloadObjects.Text(old?["reason"]) == "DeploymentPaused";
        var progressed = resumed
            || updated > WorkloadObjects.Int(previous["updatedReplicas"], 0)
            || ready > WorkloadObjects.Int(previous["readyReplicas"], 0)
            || available > WorkloadObjects.Int(previous["availableReplicas"], 0)
            || replicas - updated < previousOld;
        if (created || progressed || complete || !lastProgress.TryGetValue(key, out var known) || known.Uid != uid)
        {
            lastProgress[key] = (uid, now);
        }

        if (complete)
        {
            return ConditionList.Make(old, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.", stamp, withUpdateTime: true);
        }

        var deadline = TimeSpan.FromSeconds(WorkloadObjects.Int(deployment["spec"]?["progressDeadlineSeconds"], 600));
        var item = new WorkItem(WorkloadKind.Deployment, ControllerContext.Namespace(deployment), WorkloadObjects.Name(deployment));
        if (created)
        {
            context.EnqueueAfter(item, deadline);
            return ConditionList.Make(old, "Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{rsName}\"", stamp, withUpdateTime: true, touch: true);
        }

        if (progressed || old is null)
        {
            context.EnqueueAfter(item, deadline);
            return ConditionList.Make(old, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.", stamp, withUpdateTime: true, touch: true);
        }

        var since = now - lastProgress[key].At;
        if (since >= deadline)
        {
            return ConditionList.Make(old, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.", stamp, withUpdateTime: true);
        }

        context.EnqueueAfter(item, deadline - since);
        return old.DeepClone().AsObject();
    }

    private static int Replicas(JsonObject rs) => WorkloadObjects.Int(rs["spec"]?["replicas"], 1);

    private static int Available(JsonObject rs) => WorkloadObjects.Int(rs["status"]?["availableReplicas"], 0);
}
