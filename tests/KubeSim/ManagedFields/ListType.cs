namespace KubeSim.ManagedFields;

/// <summary>How a list merges and is owned (x-kubernetes-list-type).</summary>
internal enum ListType
{
    /// <summary>Replaced whole; owned as one field.</summary>
    Atomic,

    /// <summary>Scalars merged as a set; each value owned.</summary>
    Set,

    /// <summary>Objects merged by their key fields; each item owned.</summary>
    Map,
}
