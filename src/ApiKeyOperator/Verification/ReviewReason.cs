using System.Text.Json.Serialization;

namespace ApiKeyOperator.Verification;

/// <summary><c>status.reason</c> of an ApiKeyReview; serialised by name, stable.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReviewReason>))]
public enum ReviewReason
{
    /// <summary>A live key carrying every required scope.</summary>
    Valid,

    /// <summary>The key exists but was revoked (or its scheduled revocation time has passed).</summary>
    Revoked,

    /// <summary>The key exists but its expiry has passed.</summary>
    Expired,

    /// <summary>Well-formed, but no key in the index has this id and hash.</summary>
    Unknown,

    /// <summary>Not in the credential grammar or failing its checksum; rejected before any lookup.</summary>
    Malformed,

    /// <summary>A live key that lacks some of the required scopes (listed in <c>missingScopes</c>).</summary>
    MissingScopes,
}
