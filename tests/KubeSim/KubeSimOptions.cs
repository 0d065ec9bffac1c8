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
}
