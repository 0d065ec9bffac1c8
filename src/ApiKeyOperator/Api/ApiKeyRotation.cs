using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Api;

/// <summary>A request to replace an ApiKey's credential, rolling its dependents before revoking the old key.</summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
public sealed class ApiKeyRotation : IKubernetesObject<V1ObjectMeta>, ISpec<ApiKeyRotationSpec>, IStatus<ApiKeyRotationStatus>
{
    public const string KubeKind = "ApiKeyRotation";
    public const string KubePlural = "apikeyrotations";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ApiKeyRotationSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public ApiKeyRotationStatus Status { get; set; } = new();
}
