namespace ApiKeyOperator.Rollouts;

/// <summary>A dependent workload in the rotation's namespace.</summary>
public sealed record WorkloadRef(string Kind, string Name) : IComparable<WorkloadRef>
{
    public int CompareTo(WorkloadRef? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byKind = string.CompareOrdinal(Kind, other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => $"{Kind}/{Name}";
}
