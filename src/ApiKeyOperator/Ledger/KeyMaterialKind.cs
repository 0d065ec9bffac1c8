namespace ApiKeyOperator.Ledger;

/// <summary>What <see cref="KeyMaterialGuard"/> recognised in a value.</summary>
internal enum KeyMaterialKind
{
    /// <summary>A token in this project's format (<c>prefix key-id "_" secret checksum</c>).</summary>
    ApiKey,

    /// <summary>A JSON Web Token (<c>eyJ….eyJ…</c>).</summary>
    Jwt,

    /// <summary>A run of base62/base64 characters that reads as random, not as words.</summary>
    HighEntropySecret,
}
