using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification;

/// <summary>
/// <c>apikeyoperator.io/v1alpha1</c> ApiKeyReview, modelled on TokenReview: a provider posts the credential it
/// received in <see cref="Spec"/> and gets the verdict back in <see cref="Status"/>.
/// </summary>
public sealed record ApiKeyReview
{
    public const string GroupName = "apikeyoperator.io";
    public const string Version = "v1alpha1";
    public const string ApiVersionValue = GroupName + "/" + Version;
    public const string KindValue = "ApiKeyReview";
    public const string ResourcePlural = "apikeyreviews";

    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("spec")]
    public ApiKeyReviewSpec? Spec { get; init; }

    [JsonPropertyName("status")]
    public ApiKeyReviewStatus? Status { get; init; }
}
