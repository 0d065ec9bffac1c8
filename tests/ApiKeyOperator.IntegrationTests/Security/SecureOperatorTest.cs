using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Tests.Install;
using ApiKeyOperator.Verification;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeSim;

namespace ApiKeyOperator.IntegrationTests.Security;

/// <summary>
/// Operators run as installed: HTTPS on the review and metrics listeners with the operator's own CA, callers checked
/// with TokenReview and SubjectAccessReview. Clients trust only the CA bundle the operator publishes.
/// </summary>
public abstract class SecureOperatorTest(ClusterFixture cluster) : OperatorTest(cluster)
{
    private readonly List<IDisposable> _disposables = [];
    private readonly List<string> _clusterRoleBindings = [];

    /// <summary>The test operator's flags with TLS and caller checks on (their defaults) and a fast certificate refresh.</summary>
    protected string[] SecureArgs(params string[] extra)
    {
        var args = OperatorArgs(extra).Where(a => a is not "--review-insecure-http" and not "--metrics-secure=false").ToArray();
        args[Array.IndexOf(args, "--review-auth") + 1] = "kubernetes";
        return [.. args, "--cert-refresh-interval", "200ms"];
    }

    /// <summary>The CA bundle of the ConfigMap the operator publishes, once it is there.</summary>
    protected Task<X509Certificate2Collection> PublishedBundleAsync(string? ns = null) =>
        Eventually.GetAsync(
            async ct =>
            {
                var map = await Resources<V1ConfigMap>().GetAsync(new Runtime.ObjectKey(ns ?? Namespace, CertificateNames.CaConfigMap), ct);
                if (map?.Data?.TryGetValue(CertificateNames.CaBundleKey, out var pem) != true)
                {
                    return null;
                }

                var bundle = new X509Certificate2Collection();
                bundle.ImportFromPem(pem);
                return bundle;
            },
            Timeout,
            "the CA bundle ConfigMap",
            Ct);

    /// <summary>A client that trusts only <paramref name="bundle"/> (and checks the name), remembering the certificate it was shown.</summary>
    protected TrustingClient Trusting(X509Certificate2Collection bundle, Uri baseAddress, string? bearerToken = null)
    {
        var client = new TrustingClient(bundle, baseAddress, bearerToken);
        _disposables.Add(client);
        return client;
    }

    /// <summary>A ServiceAccount of this test's namespace whose token KubeSim's TokenReview accepts.</summary>
    protected (string Token, AuthUser User) ServiceAccount(string name, string? ns = null)
    {
        var user = AuthUser.ServiceAccount(ns ?? Namespace, name);
        var token = $"{ns ?? Namespace}-{name}-{Guid.NewGuid():N}";
        Sim.Auth.SetToken(token, user);
        return (token, user);
    }

    /// <summary>Installs a ClusterRole of config/rbac (shared, left in place) and binds it to <paramref name="user"/>.</summary>
    protected async Task BindClusterRoleAsync(string file, string clusterRole, string user, string? inNamespace = null)
    {
        var role = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(RepoPaths.Combine("config", "rbac", file), Ct))
            .OfType<V1ClusterRole>().Single(r => r.Metadata.Name == clusterRole);
        try
        {
            await Client.RbacAuthorizationV1.CreateClusterRoleAsync(role, cancellationToken: Ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Another test installed it.
        }

        var subjects = new List<Rbacv1Subject> { SubjectOf(user) };
        var roleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole };
        if (inNamespace is null)
        {
            var name = $"{Namespace}-{clusterRole}-{_clusterRoleBindings.Count}";
            await Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(
                new V1ClusterRoleBinding { Metadata = new V1ObjectMeta { Name = name }, RoleRef = roleRef, Subjects = subjects }, cancellationToken: Ct);
            _clusterRoleBindings.Add(name);
        }
        else
        {
            await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
                new V1RoleBinding { Metadata = new V1ObjectMeta { Name = $"{clusterRole}-{Guid.NewGuid():N}"[..40], NamespaceProperty = inNamespace }, RoleRef = roleRef, Subjects = subjects },
                inNamespace, cancellationToken: Ct);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        foreach (var name in _clusterRoleBindings)
        {
            await Client.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name, cancellationToken: CancellationToken.None);
        }

        await base.DisposeAsync();
    }

    private static Rbacv1Subject SubjectOf(string user) => user.Split(':') is ["system", "serviceaccount", var ns, var name]
        ? new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns }
        : new Rbacv1Subject { Kind = "User", Name = user, ApiGroup = "rbac.authorization.k8s.io" };

    /// <summary>An HTTPS client trusting one CA bundle, as a provider configured from the ConfigMap would.</summary>
    protected sealed class TrustingClient : IDisposable
    {
        private readonly HttpClient _http;

        public TrustingClient(X509Certificate2Collection bundle, Uri baseAddress, string? bearerToken)
        {
            var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                {
                    ServedCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                    if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(bundle);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate);
                },
            };
            _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
            if (bearerToken is not null)
            {
                _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            }
        }

        /// <summary>The certificate the server presented on the last handshake.</summary>
        public X509Certificate2? ServedCertificate { get; private set; }

        public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) => _http.GetAsync(path.TrimStart('/'), cancellationToken);

        /// <summary>Sends <paramref name="request"/> and returns only the status code.</summary>
        public async Task<int> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }

        public async Task<(int Code, string Body)> ReviewAsync(string key, CancellationToken cancellationToken)
        {
            using var response = await _http.PostAsJsonAsync(ReviewRequestHandler.Path.TrimStart('/'), new ApiKeyReview
            {
                ApiVersion = ApiKeyReview.ApiVersionValue,
                Kind = ApiKeyReview.KindValue,
                Spec = new ApiKeyReviewSpec { Key = key },
            }, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }

        public void Dispose() => _http.Dispose();
    }
}
