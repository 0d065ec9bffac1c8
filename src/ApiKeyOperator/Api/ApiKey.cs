using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Api;

/// <summary>An API key declared by a platform engineer; the operator issues it into a Secret.</summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
public sealed class ApiKey : IKubernetesObject<V1ObjectMeta>, ISpec<ApiKeySpec>, IStatus<ApiKeyStatus>
{
    public const string KubeKind = "ApiKey";
    public const string KubePlural = "apikeys";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ApiKeySpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public ApiKeyStatus Status { get; set; } = new();
}
