using System.Net;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Install;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Security;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Tests.Install;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using YamlDotNet.RepresentationModel;

namespace ApiKeyOperator.IntegrationTests.Identity;

/// <summary>
/// The operator as installed by config/default on a KubeSim that enforces RBAC: its ServiceAccount with only the
/// install's roles, the shipped webhook configurations (limited to this test's namespace) calling it through the
/// Service apikey-operator-webhook, the CA bundle injected by the leader. People act through their own tokens:
/// <see cref="Admin"/> (the admin role, Secrets, Deployments) and <see cref="Editor"/> (the editor role, one
/// Secret and one Deployment of their own, the scopes a ClusterRole lists for editors).
/// </summary>
public abstract class WebhookOperatorTest(ClusterFixture cluster) : SecureOperatorTest(cluster)
{
    public const string Admin = "ada";
    public const string Editor = "erin";

    /// <summary>The Secret and Deployment the editor may read and patch; the scope editors may grant.</summary>
    public const string EditorSecret = "erin-secret";
    public const string EditorApp = "erin-app";
    public const string EditorScope = "invoices:read";

    private readonly Dictionary<string, Kubernetes> _users = [];

    protected RunningOperator? Operator { get; private set; }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var manifests = await Kustomize.RenderDefaultAsync(Ct);
        await InstalledRbac.ApplyAsync(Client, manifests, Ct);
        await InstallWebhookConfigurationsAsync(manifests);
        await GrantPeopleAsync();
    }

    /// <summary>Starts the operator with the webhook on loopback and waits until the API server calls it.</summary>
    protected async Task<RunningOperator> StartWithWebhookAsync(params string[] extra)
    {
        Operator = await StartOperatorAsync(OperatorArgs([.. ShippedWebhook.Args(OperatorPermissions.OperatorNamespace), .. extra]));
        await ShippedWebhook.ServeAsync(Operator, Sim, Client, Timeout, Ct);
        return Operator;
    }

    /// <summary>Typed access to <typeparamref name="T"/> as <paramref name="user"/> (a bearer token KubeSim knows).</summary>
    protected ResourceClient<T> As<T>(string user) where T : class, IKubernetesObject<V1ObjectMeta> => new(new ApiTransport(UserClient(user)));

    protected Kubernetes UserClient(string user)
    {
        lock (_users)
        {
            if (!_users.TryGetValue(user, out var client))
            {
                var token = $"{user}-{Guid.NewGuid():N}";
                Sim.Identities.Add(token, user, [$"{user}-group"], uid: $"uid-{user}");
                client = new Kubernetes(new KubernetesClientConfiguration { Host = Sim.Url.ToString(), AccessToken = token });
                _users[user] = client;
            }

            return client;
        }
    }

    protected Task<ApiKey> CreateApiKeyAsAsync(string user, string name, Action<ApiKeySpec>? configure = null)
    {
        var spec = new ApiKeySpec { SecretName = $"{name}-key" };
        configure?.Invoke(spec);
        return As<ApiKey>(user).CreateAsync(new ApiKey { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace }, Spec = spec }, Ct);
    }

    /// <summary>The write's refusal: its HTTP status and the Status message.</summary>
    protected static async Task<(HttpStatusCode Code, string Message)> RefusedAsync(Func<Task> write)
    {
        var e = await Xunit.Assert.ThrowsAsync<HttpOperationException>(write);
        return (e.Response.StatusCode, e.Body is V1Status status ? status.Message : e.Message);
    }

    /// <summary>The audit rows of one ApiKey, from the test operator's ledger.</summary>
    protected async Task<IReadOnlyList<AuditEntry>> AuditRowsAsync(string apiKey)
    {
        using var ledger = new SqliteAuditLedger(new LedgerOptions { Path = LedgerPath }, TimeProvider.System, new LedgerHealth(), NullLogger<SqliteAuditLedger>.Instance);
        return (await ledger.QueryAsync(new AuditQuery { Namespace = Namespace, ApiKey = apiKey, Limit = AuditQuery.MaxLimit }, Ct)).Items;
    }

    /// <summary>Waits for an audit row of <paramref name="kind"/> matching <paramref name="match"/>.</summary>
    protected Task<AuditEntry> AuditRowAsync(string apiKey, string kind, Func<AuditEntry, bool>? match = null) =>
        Eventually.GetAsync(
            async _ => (await AuditRowsAsync(apiKey)).FirstOrDefault(r => r.Kind == kind && (match?.Invoke(r) ?? true)),
            Timeout, $"a {kind} audit row of {apiKey}", Ct);

    protected async Task CreateDeploymentAsync(string name, string readsSecret)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "app", Image = "app:1", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = readsSecret } }] }],
                    },
                },
            },
        }, Namespace, cancellationToken: Ct);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _users.Values)
        {
            client.Dispose();
        }

        // The webhook goes with the operator: cleanup writes (releasing finalizers) must not need it.
        var api = Client.AdmissionregistrationV1;
        await DeleteIfPresentAsync(() => api.DeleteMutatingWebhookConfigurationAsync("apikey-operator", cancellationToken: CancellationToken.None));
        await DeleteIfPresentAsync(() => api.DeleteValidatingWebhookConfigurationAsync("apikey-operator", cancellationToken: CancellationToken.None));
        await base.DisposeAsync();
    }

    private async Task InstallWebhookConfigurationsAsync(IEnumerable<YamlMappingNode> manifests)
    {
        // Only this test's namespace: the namespaces of earlier tests of the class are being deleted meanwhile.
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace } };
        var mutating = KubernetesYaml.Deserialize<V1MutatingWebhookConfiguration>(Yaml(YamlNodes.Find(manifests, "MutatingWebhookConfiguration", "apikey-operator")));
        var validating = KubernetesYaml.Deserialize<V1ValidatingWebhookConfiguration>(Yaml(YamlNodes.Find(manifests, "ValidatingWebhookConfiguration", "apikey-operator")));
        foreach (var webhook in mutating.Webhooks)
        {
            webhook.NamespaceSelector = selector;
        }

        foreach (var webhook in validating.Webhooks)
        {
            webhook.NamespaceSelector = selector;
        }

        var api = Client.AdmissionregistrationV1;
        await DeleteIfPresentAsync(() => api.DeleteMutatingWebhookConfigurationAsync("apikey-operator", cancellationToken: Ct));
        await DeleteIfPresentAsync(() => api.DeleteValidatingWebhookConfigurationAsync("apikey-operator", cancellationToken: Ct));
        await api.CreateMutatingWebhookConfigurationAsync(mutating, cancellationToken: Ct);
        await api.CreateValidatingWebhookConfigurationAsync(validating, cancellationToken: Ct);
    }

    private async Task GrantPeopleAsync()
    {
        var rbac = Client.RbacAuthorizationV1;
        await BindAsync(Admin, "ClusterRole", "apikeyoperator-admin");
        await BindAsync(Editor, "ClusterRole", "apikeyoperator-editor");
        await BindAsync(Editor, "ClusterRole", "apikeyoperator-editor-scopes");
        try
        {
            await rbac.CreateClusterRoleAsync(new V1ClusterRole
            {
                Metadata = new V1ObjectMeta { Name = "it-invoice-scopes", Labels = new Dictionary<string, string> { ["apikeyoperator.io/scopes-for-editors"] = "true" } },
                Rules = [new V1PolicyRule { ApiGroups = [ApiGroup.Name], Resources = ["scopes"], ResourceNames = [EditorScope], Verbs = ["grant"] }],
            }, cancellationToken: Ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // An earlier test of the class made it.
        }

        await rbac.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "people", NamespaceProperty = Namespace },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], ResourceNames = [EditorSecret], Verbs = ["get"] },
                new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments"], ResourceNames = [EditorApp], Verbs = ["get", "patch"] },
            ],
        }, Namespace, cancellationToken: Ct);
        await rbac.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "admins", NamespaceProperty = Namespace },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get", "list"] },
                new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get", "list", "patch"] },
            ],
        }, Namespace, cancellationToken: Ct);
        await BindAsync(Editor, "Role", "people");
        await BindAsync(Admin, "Role", "admins");
    }

    private Task BindAsync(string user, string kind, string role) =>
        Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = $"{user}-{role}", NamespaceProperty = Namespace },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = kind, Name = role },
                Subjects = [new Rbacv1Subject { Kind = "User", Name = user, ApiGroup = "rbac.authorization.k8s.io" }],
            },
            Namespace,
            cancellationToken: Ct);

    private static async Task DeleteIfPresentAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Not there yet.
        }
    }

    private static string Yaml(YamlMappingNode manifest)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(manifest)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
