using System.Net;
using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// spec.secretTemplate is checked by the CRD schema with Kubernetes' own label and annotation rules: a bad key or
/// value is refused when the ApiKey is applied (422 naming the field), not discovered when the Secret is written.
/// </summary>
public sealed class SecretTemplateValidationTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    [Theory]
    [InlineData("team", "payments", true)]
    [InlineData("app.kubernetes.io/part-of", "billing-exporter_v2.1", true)]
    [InlineData("team", "", true)]
    [InlineData("team", "has spaces", false)]
    [InlineData("team", "-leading-dash", false)]
    [InlineData("team", "a-value-that-is-far-too-long-for-a-kubernetes-label-of-sixty-three", false)]
    public async Task Label_values_follow_the_label_syntax(string key, string value, bool accepted)
    {
        var error = await CreateAsync(new SecretTemplate { Labels = new Dictionary<string, string> { [key] = value } });

        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            // kube-apiserver and KubeSim spell a map entry differently (labels.team, labels[team]): prefix and key.
            var field = AssertRefused(error, "spec.secretTemplate.labels");
            Assert.Contains(key, field, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Annotation_values_may_hold_any_text()
    {
        Assert.Null(await CreateAsync(new SecretTemplate { Annotations = new Dictionary<string, string> { ["example.com/owner"] = "Payments team <payments@example.com>, on call: #pay-oncall" } }));
    }

    [Theory]
    [InlineData("labels", "has space")]
    [InlineData("labels", "UPPER.example.com/name")]
    [InlineData("annotations", "-starts-with-dash")]
    [InlineData("annotations", "too/many/slashes")]
    public async Task Keys_follow_the_qualified_name_syntax(string field, string key)
    {
        var template = field == "labels"
            ? new SecretTemplate { Labels = new Dictionary<string, string> { [key] = "x" } }
            : new SecretTemplate { Annotations = new Dictionary<string, string> { [key] = "x" } };

        var error = await CreateAsync(template);

        if (error is null && !await ServerEvaluatesValidationRulesAsync())
        {
            Assert.Skip("this API server ignores x-kubernetes-validations (KubeSim before CEL support); key syntax is a CEL rule");
        }

        AssertRefused(error, $"spec.secretTemplate.{field}");
    }

    [Fact]
    public async Task More_than_64_labels_are_refused()
    {
        var labels = Enumerable.Range(0, 65).ToDictionary(i => $"label-{i}", i => "x");

        AssertRefused(await CreateAsync(new SecretTemplate { Labels = labels }), "spec.secretTemplate.labels");
    }

    private async Task<HttpOperationException?> CreateAsync(SecretTemplate template)
    {
        try
        {
            await CreateApiKeyAsync($"t-{Guid.NewGuid():N}"[..12], s => s.SecretTemplate = template);
            return null;
        }
        catch (HttpOperationException e)
        {
            return e;
        }
    }

    /// <returns>The field the refusal names.</returns>
    private static string AssertRefused(HttpOperationException? error, string field)
    {
        Assert.NotNull(error);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Invalid", (string?)status["reason"]);
        var causes = status["details"]?["causes"]?.AsArray().Select(c => (string?)c!["field"]).ToList() ?? [];
        return Assert.Single(causes, f => f is not null && f.StartsWith(field, StringComparison.Ordinal))!;
    }

    // A rule that refuses everything, on a throwaway CRD: accepted objects mean rules are not evaluated here.
    private async Task<bool> ServerEvaluatesValidationRulesAsync()
    {
        var plural = $"probes{Guid.NewGuid():N}"[..16];
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"{plural}.probe.apikeyoperator.io" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "probe.apikeyoperator.io",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = plural, Kind = "Probe" + plural[6..], Singular = plural[..^1] },
                Versions = [new V1CustomResourceDefinitionVersion
                {
                    Name = "v1", Served = true, Storage = true,
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps
                        {
                            Type = "object",
                            XKubernetesPreserveUnknownFields = true,
                            XKubernetesValidations = [new V1ValidationRule { Rule = "false", Message = "probe" }],
                        },
                    },
                }],
            },
        };
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: Ct);
        try
        {
            await Eventually.WaitAsync(
                async ct => (await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: ct)).Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
                Timeout, "probe CRD established", Ct);
            await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
                new { apiVersion = "probe.apikeyoperator.io/v1", kind = crd.Spec.Names.Kind, metadata = new { name = "probe" } },
                "probe.apikeyoperator.io", "v1", Namespace, plural, cancellationToken: Ct);
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            return true;
        }
        finally
        {
            await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: CancellationToken.None);
        }
    }
}
