using Xunit;

namespace KubeSim.Conformance;

/// <summary>All cases share one cluster (one KubeSim for the run); each case works in its own namespace.</summary>
[CollectionDefinition(Name)]
public sealed class ConformanceCollection : ICollectionFixture<ConformanceCluster>
{
    public const string Name = "conformance";
}
