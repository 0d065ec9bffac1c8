using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// Plays scheduler and kubelet: binds unscheduled pods to a node, starts them (phase Running) and marks them
/// Ready after <see cref="KubeSimOptions.PodReadyDelay"/>. An image under <c>registry.invalid/</c> never pulls:
/// the container waits in ImagePullBackOff and the pod never becomes Ready.
/// </summary>
internal sealed class PodLifecycleController(ControllerContext context)
{
    /// <summary>Pod (template) annotation: how long this workload's pods take to become Ready, e.g. "3s".</summary>
    public const string ReadyDelayAnnotation = "kubesim.io/ready-delay";

    private const string InvalidRegistry = "registry.invalid/";

    // When each started pod (by namespace/name, for its uid) becomes Ready. Only the single work loop touches it.
    private readonly Dictionary<string, (string Uid, DateTimeOffset ReadyAt)> started = [];

    public void Reconcile(string ns, string name)
    {
        var key = $"{ns}/{name}";
        var pod = context.Store.Get(WorkloadResources.Pods, ns, name);
        if (pod is null || WorkloadObjects.IsDeleting(pod))
        {
            started.Remove(key);
            return;
        }

        pod = Admit(pod, ns);
        var uid = WorkloadObjects.Uid(pod);
        if (!started.TryGetValue(key, out var state) || state.Uid != uid)
        {
            // A pod template's kubesim.io/ready-delay annotation (a Go duration) overrides the server-wide delay.
            var delay = GoDuration.TryParse(ObjectMeta.Annotations(pod).GetValueOrDefault(ReadyDelayAnnotation), out var own) ? own : context.Options.PodReadyDelay;
            state = (uid, context.Now + delay);
            started[key] = state;
        }

        var images = Images(pod);
        var failing = images.Any(i => i.Image.StartsWith(InvalidRegistry, StringComparison.Ordinal));
        var ready = !failing && context.Now >= state.ReadyAt;
        context.WriteStatus(WorkloadResources.Pods, pod, DesiredStatus(pod, ready));
        if (!ready && !failing)
        {
            context.EnqueueAfter(new WorkItem(WorkloadKind.Pod, ns, name), state.ReadyAt - context.Now);
        }
    }

    // A pod created directly (not by a workload controller) gets a node and its secret-hash annotation here.
    private JsonObject Admit(JsonObject pod, string ns)
    {
        var needsNode = WorkloadObjects.Text(pod["spec"]?["nodeName"]) is null;
        var needsHashes = WorkloadObjects.Annotation(pod, PodSecretHashes.AnnotationName) is null;
        if (!needsNode && !needsHashes)
        {
            return pod;
        }

        var hashes = PodSecretHashes.Compute(context.Store, ns, pod["spec"] as JsonObject);
        var node = context.NodeNames[(int)(StableNumber(WorkloadObjects.Name(pod)) % (uint)context.NodeNames.Count)];
        return context.Store.Patch(WorkloadResources.Pods, ns, WorkloadObjects.Name(pod), current =>
        {
            var spec = WorkloadObjects.Child(current, "spec");
            if (WorkloadObjects.Text(spec["nodeName"]) is null)
            {
                spec["nodeName"] = node;
            }

            var annotations = WorkloadObjects.Child(WorkloadObjects.Metadata(current), "annotations");
            if (WorkloadObjects.Text(annotations[PodSecretHashes.AnnotationName]) is null)
            {
                annotations[PodSecretHashes.AnnotationName] = hashes;
            }

            return current;
        });
    }

    private JsonObject DesiredStatus(JsonObject pod, bool ready)
    {
        var previous = pod["status"] as JsonObject;
        var now = WorkloadObjects.Timestamp(context.Now);
        var startTime = WorkloadObjects.Timestamp(WorkloadObjects.Created(pod));
        var images = Images(pod);
        var initFailing = images.Any(i => i.Init && i.Image.StartsWith(InvalidRegistry, StringComparison.Ordinal));
        var failing = images.Any(i => i.Image.StartsWith(InvalidRegistry, StringComparison.Ordinal));
        var unready = images.Where(i => !i.Init).Select(i => i.Name).ToList();
        var readyStatus = ready ? "True" : "False";
        var notReadyReason = ready ? null : "ContainersNotReady";
        var notReadyMessage = ready ? null : $"containers with unready status: [{string.Join(' ', unready)}]";
        var conditions = previous?["conditions"];
        var status = new JsonObject
        {
            ["phase"] = failing ? "Pending" : "Running",
            ["conditions"] = new JsonArray(
                ConditionList.Make(ConditionList.Find(conditions, "Initialized"), "Initialized", initFailing ? "False" : "True",
                    initFailing ? "ContainersNotInitialized" : null, initFailing ? "containers with incomplete status: [" + string.Join(' ', images.Where(i => i.Init).Select(i => i.Name)) + "]" : null, now, withUpdateTime: false),
                ConditionList.Make(ConditionList.Find(conditions, "Ready"), "Ready", readyStatus, notReadyReason, notReadyMessage, now, withUpdateTime: false),
                ConditionList.Make(ConditionList.Find(conditions, "ContainersReady"), "ContainersReady", readyStatus, notReadyReason, notReadyMessage, now, withUpdateTime: false),
                ConditionList.Make(ConditionList.Find(conditions, "PodScheduled"), "PodScheduled", "True", null, null, now, withUpdateTime: false)),
            ["hostIP"] = HostIp(WorkloadObjects.Text(pod["spec"]?["nodeName"])),
            ["podIP"] = PodIp(WorkloadObjects.Uid(pod)),
            ["startTime"] = startTime,
            ["qosClass"] = "BestEffort",
        };
        var init = images.Where(i => i.Init).Select(i => ContainerStatus(i, ready: false, initFailing, startTime, init: true)).ToArray();
        if (init.Length > 0)
        {
            status["initContainerStatuses"] = new JsonArray(init);
        }

        status["containerStatuses"] = new JsonArray([.. images.Where(i => !i.Init).Select(i => ContainerStatus(i, ready, initFailing, startTime, init: false))]);
        return status;
    }

    private static JsonObject ContainerStatus((string Name, string Image, bool Init) container, bool ready, bool initFailing, string started, bool init)
    {
        JsonObject state;
        var unpullable = container.Image.StartsWith(InvalidRegistry, StringComparison.Ordinal);
        if (unpullable)
        {
            state = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = $"Back-off pulling image \"{container.Image}\"" } };
        }
        else if (init)
        {
            state = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = started, ["finishedAt"] = started } };
        }
        else if (initFailing)
        {
            state = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "PodInitializing" } };
        }
        else
        {
            state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } };
        }

        var running = state.ContainsKey("running");
        var pulled = !unpullable && (running || init);
        var status = new JsonObject
        {
            ["name"] = container.Name,
            ["image"] = container.Image,
            ["imageID"] = pulled ? $"{container.Image}@sha256:{Hex(container.Image)}" : string.Empty,
            ["ready"] = init ? !unpullable : ready,
            ["restartCount"] = 0,
            ["started"] = running,
            ["state"] = state,
        };
        if (pulled)
        {
            status["containerID"] = $"containerd://{Hex(container.Name + container.Image)}";
        }

        return status;
    }

    private static List<(string Name, string Image, bool Init)> Images(JsonObject pod)
    {
        IEnumerable<(string, string, bool)> Read(string field, bool init) =>
            pod["spec"]?[field] is JsonArray list
                ? list.OfType<JsonObject>().Select(c => (WorkloadObjects.Text(c["name"]) ?? string.Empty, WorkloadObjects.Text(c["image"]) ?? string.Empty, init))
                : [];
        return [.. Read("initContainers", true), .. Read("containers", false)];
    }

    private string HostIp(string? nodeName)
    {
        var index = nodeName is null ? 0 : context.NodeNames.ToList().IndexOf(nodeName);
        return $"10.0.0.{Math.Max(index, 0) + 2}";
    }

    private static string PodIp(string uid)
    {
        var n = StableNumber(uid);
        return $"10.244.{(n >> 8) % 256}.{(n % 253) + 2}";
    }

    private static uint StableNumber(string text) => BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
