using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Source-generated System.Text.Json metadata for the review endpoint's bodies: no reflection on the hot path
/// (the wire format is the reflection one's: property names from the attributes, nulls left out).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiKeyReview))]
[JsonSerializable(typeof(FailureStatus))]
internal sealed partial class ReviewJsonContext : JsonSerializerContext;
