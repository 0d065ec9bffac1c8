namespace ApiKeyOperator.Verification.ForwardAuth;

/// <summary>Header names of the forward-auth exchange.</summary>
public static class ForwardAuthHeaders
{
    /// <summary>
    /// The gateway's own credential (<c>Bearer &lt;ServiceAccount token&gt;</c>), checked with TokenReview and
    /// SubjectAccessReview like an ApiKeyReview caller. Not <c>Authorization</c>: that one carries the client's key.
    /// </summary>
    public const string GatewayAuthorization = "X-Gateway-Authorization";

    /// <summary>On 200: namespace of the ApiKey the credential belongs to.</summary>
    public const string Namespace = "X-ApiKey-Namespace";

    /// <summary>On 200: name of that ApiKey.</summary>
    public const string Name = "X-ApiKey-Name";

    /// <summary>On 200: public key id (status.keys[].id).</summary>
    public const string KeyId = "X-ApiKey-Key-Id";

    /// <summary>On 200: the credential's scopes, space-separated (a token's: the scopes it was issued with).</summary>
    public const string Scopes = "X-ApiKey-Scopes";

    /// <summary>On 200: <c>key</c>, <c>client-credentials</c> or <c>token</c>.</summary>
    public const string Credential = "X-ApiKey-Credential";
}
