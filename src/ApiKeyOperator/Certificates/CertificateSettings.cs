namespace ApiKeyOperator.Certificates;

/// <summary>Where the operator keeps its own certificates and what they say, from the <c>--cert-*</c> flags.</summary>
public sealed record CertificateSettings
{
    /// <summary>Namespace of the CA Secret, the serving Secret and the bundle ConfigMap (the operator's own).</summary>
    public required string Namespace { get; init; }

    public required ServingIdentity Identity { get; init; }

    public CertificatePolicy Policy { get; init; } = new();

    /// <summary>How often the leader checks the certificates and the other replicas reload them.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);
}
