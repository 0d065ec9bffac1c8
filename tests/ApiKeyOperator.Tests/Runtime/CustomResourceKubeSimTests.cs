using ApiKeyOperator.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class CustomResourceKubeSimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resource_client_serves_a_custom_kind_from_its_attribute()
    {
        await using var env = await SimEnvironment.StartAsync();
        await env.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Widget.Definition(), cancellationToken: Ct);
        var transport = env.NewTransport();
        var widgets = new ResourceClient<Widget>(transport);
        var key = new ObjectKey("default", "w1");

        var created = await CreateWhenServedAsync(widgets, new Widget
        {
            Metadata = new V1ObjectMeta { Name = "w1", NamespaceProperty = "default" },
            Spec = new Dictionary<string, string> { ["size"] = "small" },
        });
        var patched = await widgets.PatchAsync(key, """{"spec":{"size":"large"}}""", Ct);
        patched.Status = new Dictionary<string, string> { ["phase"] = "Ready" };
        var withStatus = await widgets.ReplaceStatusAsync(patched, Ct);
        var written = await new StatusWriter(transport, NullLogger<StatusWriter>.Instance).UpdateAsync(created, w =>
        {
            w.Status ??= [];
            w.Status["observed"] = "yes";
            return true;
        }, Ct);
        var list = await widgets.ListAsync("default", null, Ct);

        Assert.Equal("large", (await widgets.GetAsync(key, Ct))?.Spec?["size"]);
        Assert.Equal("Ready", withStatus.Status?["phase"]);
        Assert.Equal(("Ready", "yes"), (written?.Status?["phase"], written?.Status?["observed"]));
        Assert.Equal(["w1"], list.Items.Select(w => w.Metadata.Name));
        Assert.Equal(($"{Widget.Group}/v1", "Widget"), (list.Items[0].ApiVersion, list.Items[0].Kind));
        Assert.Equal(1, env.Sim.Requests.Count("update", "widgets/status", statusCode: 409));

        await widgets.DeleteAsync(key, Ct);
        await widgets.DeleteAsync(key, Ct);
        Assert.Null(await widgets.GetAsync(key, Ct));
    }

    /// <summary>Creates the first object, retrying while the freshly created CRD is not served yet.</summary>
    private static async Task<Widget> CreateWhenServedAsync(ResourceClient<Widget> widgets, Widget widget)
    {
        Widget? created = null;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                created = await widgets.CreateAsync(widget, Ct);
                return true;
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                return false;
            }
        }, what: "CRD served");
        return created!;
    }
}
