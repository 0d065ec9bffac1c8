namespace KubeSim;

/// <summary>The parts of meta/v1 DeleteOptions KubeSim honours.</summary>
internal sealed record DeleteOptions
{
    /// <summary>Background (default), Foreground or Orphan.</summary>
    public string? PropagationPolicy { get; init; }

    /// <summary>Precondition: the object's uid must match.</summary>
    public string? PreconditionUid { get; init; }

    /// <summary>Precondition: the object's resourceVersion must match.</summary>
    public string? PreconditionResourceVersion { get; init; }
}
