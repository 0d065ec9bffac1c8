namespace KubeSim.Controllers;

/// <summary>A request to reconcile one object; equal requests queued at once collapse into one.</summary>
internal readonly record struct WorkItem(WorkloadKind Kind, string Namespace, string Name);
