using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Tests.Runtime;

/// <summary>A custom resource for runtime tests (group test.apikeyoperator.io), with a status subresource.</summary>
[KubernetesEntity(Group = Widget.Group, ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "test.apikeyoperator.io";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{Group}/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public Dictionary<string, string>? Spec { get; set; }

    [JsonPropertyName("status")]
    public Dictionary<string, string>? Status { get; set; }

    /// <summary>The CRD serving this kind: namespaced, status subresource, free-form string maps.</summary>
    public static V1CustomResourceDefinition Definition()
    {
        var stringMap = new V1JSONSchemaProps { Type = "object", AdditionalProperties = new V1JSONSchemaProps { Type = "string" } };
        return new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"widgets.{Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps> { ["spec"] = stringMap, ["status"] = stringMap },
                            },
                        },
                    },
                ],
            },
        };
    }
}
