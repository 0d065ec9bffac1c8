namespace ApiKeyOperator.Api;

/// <summary>Label, annotation and finalizer names the operator puts on objects.</summary>
public static class WellKnown
{
    /// <summary>Label on the Secret (and scheduled ApiKeyRotations): name of the owning ApiKey.</summary>
    public const string ApiKeyLabel = "apikeyoperator.io/apikey";

    /// <summary>
    /// Annotation on the Secret with the id of the key in it; also on a rolled pod template, where a change
    /// of its value is what restarts the pods.
    /// </summary>
    public const string KeyIdAnnotation = "apikeyoperator.io/key-id";

    /// <summary>Annotation on the Secret: when the key in it was issued (RFC 3339), to rebuild status from it.</summary>
    public const string IssuedAtAnnotation = "apikeyoperator.io/issued-at";

    public const string Finalizer = "apikeyoperator.io/finalizer";

    /// <summary>Label the operator puts on rotations it creates (schedule, Secret restore). Alone it proves nothing: who created a rotation is its verified requester record.</summary>
    public const string ScheduledLabel = "apikeyoperator.io/scheduled";
}
