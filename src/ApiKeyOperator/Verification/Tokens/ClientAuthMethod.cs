namespace ApiKeyOperator.Verification.Tokens;

/// <summary>How the client authenticated (RFC 7591 <c>token_endpoint_auth_method</c> names).</summary>
public enum ClientAuthMethod
{
    /// <summary><c>client_secret_basic</c>: HTTP Basic with the form-encoded id and secret.</summary>
    ClientSecretBasic,

    /// <summary><c>client_secret_post</c>: <c>client_id</c> and <c>client_secret</c> in the form body.</summary>
    ClientSecretPost,
}
