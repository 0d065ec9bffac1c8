using k8s.Models;

namespace KubeSim.Tests.Api;

/// <summary>A small CRD (widgets.example.com) with a schema, printer columns and a status subresource.</summary>
internal static class TestCrds
{
    public const string Group = "example.com";
    public const string Plural = "widgets";

    public static V1CustomResourceDefinition Widget(string scope = "Namespaced", bool statusSubresource = true) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{Plural}.{Group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = Group,
            Scope = scope,
            Names = new V1CustomResourceDefinitionNames
            {
                Plural = Plural,
                Singular = "widget",
                Kind = "Widget",
                ShortNames = ["wd"],
                Categories = ["all"],
            },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1",
                    Served = true,
                    Storage = true,
                    Subresources = statusSubresource ? new V1CustomResourceSubresources { Status = new object() } : null,
                    AdditionalPrinterColumns =
                    [
                        new V1CustomResourceColumnDefinition { Name = "Size", Type = "integer", JsonPath = ".spec.size" },
                        new V1CustomResourceColumnDefinition { Name = "Ready", Type = "string", JsonPath = ".status.conditions[?(@.type==\"Ready\")].status" },
                    ],
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps
                        {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps>
                            {
                                ["spec"] = new()
                                {
                                    Type = "object",
                                    Required = ["size"],
                                    Properties = new Dictionary<string, V1JSONSchemaProps>
                                    {
                                        ["size"] = new() { Type = "integer", Minimum = 1, Maximum = 10 },
                                        ["color"] = new() { Type = "string", EnumProperty = ["red", "blue"], DefaultProperty = "red" },
                                    },
                                },
                                ["status"] = new()
                                {
                                    Type = "object",
                                    XKubernetesPreserveUnknownFields = true,
                                },
                            },
                        },
                    },
                },
            ],
        },
    };
}
