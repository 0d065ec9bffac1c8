using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Runtime;
using k8s;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>The harness leaves no namespace stuck Terminating when a test's operator stopped before its ApiKeys were deleted.</summary>
public sealed class NamespaceCleanupTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    [Fact]
    public async Task A_namespace_whose_operator_stopped_first_is_deleted_once_the_harness_releases_the_finalizers()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("kept");
        var ready = await WaitForReadyAsync("kept");
        Assert.True(Finalizers.Has(ready, WellKnown.Finalizer));
        await running.StopAsync();

        await Client.CoreV1.DeleteNamespaceAsync(Namespace, cancellationToken: Ct);
        // Nobody removes the operator's finalizer now: the namespace cannot finish terminating.
        var stuck = await Client.CoreV1.ReadNamespaceAsync(Namespace, cancellationToken: Ct);
        Assert.NotNull(stuck.Metadata.DeletionTimestamp);

        await ReleaseFinalizersAsync();

        await Eventually.WaitAsync(NamespaceGoneAsync, Timeout, $"namespace {Namespace} deleted", Ct);
    }

    private async Task<bool> NamespaceGoneAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Client.CoreV1.ReadNamespaceAsync(Namespace, cancellationToken: cancellationToken);
            return false;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
    }
}
