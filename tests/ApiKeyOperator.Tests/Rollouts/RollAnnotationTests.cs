using System.Text.Json.Nodes;
using ApiKeyOperator.Rollouts;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Rollouts;

public sealed class RollAnnotationTests
{
    [Fact]
    public void Patch_sets_only_the_template_annotation()
    {
        var patch = JsonNode.Parse(RollAnnotation.MergePatch("3f9a1c2e"))!.AsObject();

        Assert.Single(patch);
        var annotations = patch["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject();
        Assert.Single(annotations);
        Assert.Equal("3f9a1c2e", (string?)annotations["apikeyoperator.io/key-id"]);
    }

    [Fact]
    public void Patch_with_a_resource_version_applies_only_to_that_version()
    {
        var patch = JsonNode.Parse(RollAnnotation.MergePatch("3f9a1c2e", "4711"))!.AsObject();

        Assert.Equal("4711", (string?)patch["metadata"]!["resourceVersion"]);
        Assert.Equal("3f9a1c2e", (string?)patch["spec"]!["template"]!["metadata"]!["annotations"]!["apikeyoperator.io/key-id"]);
    }

    [Fact]
    public void A_template_already_carrying_the_key_id_counts_as_rolled()
    {
        var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { ["apikeyoperator.io/key-id"] = "aaaa0001" } } };

        Assert.True(RollAnnotation.IsRolledTo(template, "aaaa0001"));
        Assert.False(RollAnnotation.IsRolledTo(template, "bbbb0002"));
        Assert.False(RollAnnotation.IsRolledTo(new V1PodTemplateSpec(), "aaaa0001"));
        Assert.Null(RollAnnotation.Current(null));
    }
}
