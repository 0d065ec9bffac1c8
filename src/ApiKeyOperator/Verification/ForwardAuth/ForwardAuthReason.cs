namespace ApiKeyOperator.Verification.ForwardAuth;

/// <summary>Why the forward-auth endpoint answered as it did (the <c>reason</c> label of its metric).</summary>
public enum ForwardAuthReason
{
    /// <summary>200: a live key or token of an accepted namespace with every required scope.</summary>
    Valid,

    /// <summary>403: authenticated, but lacking a required scope.</summary>
    MissingScopes,

    /// <summary>401: no credential in the request.</summary>
    Missing,

    /// <summary>401: not shaped like a key or a token.</summary>
    Malformed,

    /// <summary>401: well-formed but not known (or a token not signed by this operator).</summary>
    Unknown,

    /// <summary>401: the key (or the key behind the token) is revoked.</summary>
    Revoked,

    /// <summary>401: the key or the token has expired.</summary>
    Expired,

    /// <summary>401: a live key of a namespace the route does not accept; answered exactly like Unknown.</summary>
    WrongNamespace,

    /// <summary>401: the gateway did not authenticate itself to the operator.</summary>
    GatewayUnauthenticated,

    /// <summary>403: the gateway may not review keys of a namespace its route names.</summary>
    GatewayForbidden,

    /// <summary>400: the route configuration in the path or query is missing or malformed.</summary>
    InvalidRoute,

    /// <summary>503: the operator cannot decide yet (ApiKeys not loaded, TokenReview failed).</summary>
    Unavailable,
}
