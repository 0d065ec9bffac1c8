using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification.Signing;

/// <summary>A public EC key as a JWKS entry (RFC 7517 §4, RFC 7518 §6.2.1). Has no field for private parameters.</summary>
public sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y);
