using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// Simulated controller lag: a workload's controller acts on a new generation only after the lag has passed
/// since it first saw it, so meanwhile <c>status.observedGeneration</c> trails <c>metadata.generation</c> and
/// the status still describes the previous spec (as with a busy kube-controller-manager). The lag is
/// <see cref="KubeSimOptions.ControllerLag"/>, or the workload's <c>kubesim.io/controller-lag</c> annotation
/// (a Go duration such as "2s"). Used only from the controllers' single loop.
/// </summary>
internal sealed class ControllerLag(TimeSpan defaultLag)
{
    public const string Annotation = "kubesim.io/controller-lag";

    private readonly Dictionary<(string Uid, long Generation), DateTimeOffset> firstSeen = [];

    /// <summary>How long the controller must still wait before acting on this object's generation (null: act now).</summary>
    public TimeSpan? Remaining(JsonObject obj, DateTimeOffset now)
    {
        var lag = GoDuration.TryParse(ObjectMeta.Annotations(obj).GetValueOrDefault(Annotation), out var own) ? own : defaultLag;
        var key = (ObjectMeta.Get(obj, "uid") ?? "", ObjectMeta.Generation(obj));
        var observed = obj["status"]?["observedGeneration"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;
        if (lag <= TimeSpan.Zero || observed >= key.Item2)
        {
            firstSeen.Remove(key);
            return null;
        }

        if (!firstSeen.TryGetValue(key, out var seen))
        {
            seen = now;
            firstSeen[key] = seen;
        }

        var remaining = seen + lag - now;
        if (remaining > TimeSpan.Zero)
        {
            return remaining;
        }

        firstSeen.Remove(key);
        return null;
    }
}
