using ApiKeyOperator.Api;
using k8s;
using k8s.Models;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.Tests.Api;

public sealed class SamplesTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(CrdSchema.FindConfigDirectory(), "samples", name));

    [Fact]
    public void Demo_deployment_mounts_the_sample_apikeys_secret()
    {
        var apiKey = KubernetesYaml.Deserialize<ApiKey>(Sample("apikey.yaml"));
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(Sample("demo-deployment.yaml"));

        Assert.Contains(deployment.Spec.Template.Spec.Volumes, v => v.Secret?.SecretName == apiKey.Spec.SecretName);
        Assert.Equal(TimeSpan.FromDays(90), GoDuration.Parse(apiKey.Spec.Validity));
    }

    [Fact]
    public void Sample_rotation_names_the_sample_apikey()
    {
        var apiKey = KubernetesYaml.Deserialize<ApiKey>(Sample("apikey.yaml"));
        var rotation = KubernetesYaml.Deserialize<ApiKeyRotation>(Sample("apikeyrotation.yaml"));

        Assert.Equal(apiKey.Metadata.Name, rotation.Spec.ApiKeyName);
    }

    [Theory]
    [InlineData("apikey.yaml", "apikeyoperator.io_apikeys.yaml")]
    [InlineData("apikeyrotation.yaml", "apikeyoperator.io_apikeyrotations.yaml")]
    public void Sample_fields_exist_in_the_crd_schema(string sample, string crd)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Sample(sample)));
        var spec = CrdSchema.Child((YamlMappingNode)stream.Documents[0].RootNode, "spec");
        var unknown = new List<string>();

        CollectUnknown(spec, CrdSchema.Property(CrdSchema.Load(crd), "spec")!, "spec", unknown);

        Assert.Empty(unknown);
    }

    [Fact]
    public void Kustomization_lists_every_sample()
    {
        var listed = File.ReadAllLines(Path.Combine(CrdSchema.FindConfigDirectory(), "samples", "kustomization.yaml"))
            .Where(l => l.StartsWith("- ", StringComparison.Ordinal))
            .Select(l => l[2..].Trim())
            .Order();
        var files = Directory.GetFiles(Path.Combine(CrdSchema.FindConfigDirectory(), "samples"), "*.yaml")
            .Select(Path.GetFileName)
            .Where(f => f != "kustomization.yaml")
            .Order();

        Assert.Equal(files, listed);
    }

    private static void CollectUnknown(YamlMappingNode value, YamlMappingNode schema, string path, List<string> unknown)
    {
        foreach (var (key, child) in value.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var propertySchema = CrdSchema.Property(schema, name);
            if (propertySchema is null)
            {
                if (!CrdSchema.Has(schema, "additionalProperties"))
                {
                    unknown.Add($"{path}.{name}");
                }

                continue;
            }

            if (child is YamlMappingNode mapping)
            {
                CollectUnknown(mapping, propertySchema, $"{path}.{name}", unknown);
            }
        }
    }
}
