using System.Text.Json.Serialization;
using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>Wire shape of one page of a list answer.</summary>
internal sealed class ListPage<T>
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public List<T>? Items { get; set; }
}
