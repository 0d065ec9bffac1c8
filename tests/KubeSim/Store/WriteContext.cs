namespace KubeSim;

/// <summary>
/// Who writes and how: the field manager recorded in managedFields, the subresource written through, whether the
/// write is a dry run (computed in full, stored nowhere) and whether managedFields were already computed by apply.
/// </summary>
internal sealed record WriteContext(string Manager, string Subresource = "", bool DryRun = false, bool Applied = false)
{
    /// <summary>Writes made in-process (KubeSim's controllers, garbage collector, tests using the store) are the controller manager's.</summary>
    public static WriteContext InProcess { get; } = new("kube-controller-manager");
}
