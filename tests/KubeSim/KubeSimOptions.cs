namespace KubeSim;

/// <summary>Tunables of a KubeSim instance. Defaults suit fast integration tests.</summary>
public sealed record KubeSimOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>How long a simulated Pod takes to become Ready.</summary>
    public TimeSpan PodReadyDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Number of simulated nodes (DaemonSet pod count).</summary>
    public int NodeCount { get; init; } = 1;

    /// <summary>Watch events kept for resume; a resume from an older resourceVersion gets 410 Gone.</summary>
    public int WatchHistoryWindow { get; init; } = 10_000;

    /// <summary>How often watches that asked for bookmarks receive one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Period of the garbage collector (ownerReferences, foreground deletion, namespace cleanup).</summary>
    public TimeSpan GarbageCollectionInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether the simulated workload controllers run.</summary>
    public bool RunControllers { get; init; } = true;

    /// <summary>
    /// Whether resource requests from non-admin users (bearer token or Impersonate-User other than "kubesim") are
    /// checked against the stored RBAC objects and refused with 403 Forbidden like kube-apiserver does.
    /// </summary>
    public bool EnforceRbac { get; init; }

    /// <summary>Clock for timestamps and periodic loops.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    // --- Admission, identities, controller lag (sim-admission) ---

    /// <summary>
    /// Whether a bearer token that is not in <see cref="KubeSimServer.Identities"/> (nor <c>kubesim</c>) is refused
    /// with 401 Unauthorized. Off by default: such a token is taken as the user name, as KubeSim always did.
    /// </summary>
    public bool RejectUnknownTokens { get; init; }

    /// <summary>
    /// Where webhook <c>clientConfig.service</c> references go (KubeSim has no pod network): key
    /// <c>namespace/name:port</c> (see <see cref="KubeSimAdmission.Key"/>), value the base URL of the webhook server.
    /// More can be mapped at run time with <see cref="KubeSimServer.Admission"/>.
    /// </summary>
    public IReadOnlyDictionary<string, Uri> WebhookServiceEndpoints { get; init; } = new Dictionary<string, Uri>();

    /// <summary>
    /// Simulated controller lag: how long the workload controllers wait before acting on a new generation of a
    /// Deployment, StatefulSet or DaemonSet, so status.observedGeneration trails metadata.generation and the status
    /// still describes the previous spec meanwhile. Zero (the default) is no lag. A workload's
    /// <c>kubesim.io/controller-lag</c> annotation overrides it; a pod template's <c>kubesim.io/ready-delay</c>
    /// annotation overrides <see cref="PodReadyDelay"/> for that workload's pods.
    /// </summary>
    public TimeSpan ControllerLag { get; init; }
}
