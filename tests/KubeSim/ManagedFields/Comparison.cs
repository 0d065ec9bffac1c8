namespace KubeSim.ManagedFields;

/// <summary>The fields a write added, changed and removed.</summary>
internal sealed record Comparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public FieldSet Changed => Added.Union(Modified);
}
