namespace ApiKeyOperator.Certificates;

/// <summary>Names of the objects that hold the operator's own certificates, and their data keys.</summary>
public static class CertificateNames
{
    /// <summary>Opaque Secret with the CA key pairs; read only by the leader.</summary>
    public const string CaSecret = "apikey-operator-ca";

    /// <summary>kubernetes.io/tls Secret with the serving certificate; mounted by replicas that cannot read Secrets.</summary>
    public const string ServingSecret = "apikey-operator-serving-cert";

    /// <summary>ConfigMap with the trust bundle only, readable by every authenticated user (as kube-root-ca.crt is).</summary>
    public const string CaConfigMap = "apikey-operator-ca.crt";

    /// <summary>The trust bundle (PEM, one or more CA certificates), in all three objects.</summary>
    public const string CaBundleKey = "ca.crt";

    public const string SignerCertKey = "signer.crt";
    public const string SignerKeyKey = "signer.key";
    public const string NextCertKey = "next.crt";
    public const string NextKeyKey = "next.key";
    public const string PreviousCertKey = "previous.crt";

    public const string TlsCertKey = "tls.crt";
    public const string TlsKeyKey = "tls.key";

    /// <summary>Common name of every CA the operator creates; a CA without it is not one of ours.</summary>
    public const string CaCommonName = "apikey-operator-ca";

    /// <summary>Label on the objects the operator manages for its certificates.</summary>
    public const string ManagedLabel = "apikeyoperator.io/certificate";

    /// <summary>Label a webhook configuration carries to have the trust bundle injected into its caBundle fields.</summary>
    public const string InjectLabel = "apikeyoperator.io/inject-ca-bundle";

    /// <summary>The Services whose DNS names the serving certificate carries by default.</summary>
    public static IReadOnlyList<string> DefaultServices { get; } = ["apikey-operator-review", "apikey-operator-metrics", "apikey-operator-review-metrics", "apikey-operator-webhook"];
}
