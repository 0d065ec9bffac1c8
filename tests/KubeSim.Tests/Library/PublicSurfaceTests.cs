using Xunit;

namespace KubeSim.Tests.Library;

/// <summary>
/// KubeSim as a library: what other projects can use is the facade. A type made public by accident (a store,
/// patcher or schema type) becomes API others depend on, so this list changes only on purpose.
/// </summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void Only_the_facade_types_are_public()
    {
        var exported = typeof(KubeSimServer).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal);

        Assert.Equal(
        [
            "KubeSim.AccessAttributes",
            "KubeSim.AddLatency",
            "KubeSim.AuthTables",
            "KubeSim.AuthUser",
            "KubeSim.Controllers.PodSecretHashes",
            "KubeSim.DropWatchesAfterEvents",
            "KubeSim.ExpireNextWatchResume",
            "KubeSim.FailWrites",
            "KubeSim.FailWritesRandomly",
            "KubeSim.Fault",
            "KubeSim.FaultInjector",
            "KubeSim.FaultTarget",
            "KubeSim.KubeSimAdmission",
            "KubeSim.KubeSimIdentities",
            "KubeSim.KubeSimOptions",
            "KubeSim.KubeSimServer",
            "KubeSim.RbacAuthorizer",
            "KubeSim.RequestLog",
            "KubeSim.RequestRecord",
            "KubeSim.ResourceId",
            "KubeSim.ServerRestart",
            "KubeSim.WatchEvent",
        ], exported);
    }
}
