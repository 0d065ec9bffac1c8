using System.Net.Http.Json;
using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.Tests.Install;
using ApiKeyOperator.Verification;
using k8s;
using k8s.Models;
using KubeSim;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>
/// Every API call the operator makes in a representative run is allowed by the roles config/rbac installs
/// (as pinned by OperatorPermissions and the unit tests' LeastPrivilegeTests).
/// </summary>
public sealed class RbacCompletenessTests(ClusterFixture cluster) : OperatorTest(cluster)
{
    private const string ApiKeyName = "billing";
    private const string SecretName = "billing-key";
    private const string Workload = "web";

    // What the run must have exercised, so that "everything was allowed" is not vacuous.
    private static readonly RbacGrant[] Exercised =
    [
        new("apikeyoperator.io", "apikeys", "watch"),
        new("apikeyoperator.io", "apikeyrotations", "watch"),
        new("", "secrets", "create"),
        new("", "secrets", "watch"),
        new("apps", "deployments", "patch"),
        new("coordination.k8s.io", "leases", "create"),
    ];

    [Fact]
    public async Task Every_call_of_an_issue_rotate_review_delete_run_is_allowed_by_the_installed_roles()
    {
        var sim = Sim;
        // Attribution: the operator gets its own client whose handler records each request before sending it; those
        // requests are then looked up in KubeSim's log, which says how the server classified them (verb, group,
        // resource, subresource, namespace). The log also holds this test's own requests and those of every test
        // running in parallel; matching on what the operator sent leaves all of them out.
        var recorder = new RequestRecorder();
        var logStart = sim.Requests.Snapshot().Count;
        var reviewAuth = sim.Serves("authentication.k8s.io", "tokenreviews") ? "kubernetes" : "none";
        var args = OperatorArgs("--leader-elect", "--leader-election-namespace", Namespace);
        args[Array.IndexOf(args, "--review-auth") + 1] = reviewAuth;
        var running = await StartOperatorAsync(args, services =>
            services.AddSingleton(_ => new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath), recorder)));

        await RunWorkloadAsync(running, reviewAuth);
        await running.StopAsync();

        var calls = await Eventually.GetAsync(
            _ => Task.FromResult(OperatorRequests.Match(recorder.Sent, sim.Requests.Snapshot().Skip(logStart))),
            Timeout,
            $"the operator's {recorder.Sent.Count} requests in KubeSim's log",
            Ct);
        var resourceCalls = calls.Where(c => c.Resource is not null).Select(Attributes).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{calls.Count} operator requests:\n" + string.Join('\n', resourceCalls.Select(c => $"{c.Grant} in {c.Namespace ?? "(cluster)"}").Distinct().Order()));
        var denied = resourceCalls.Where(c => !OperatorPermissions.Allows(c)).Select(c => $"{c.Grant} in {c.Namespace ?? "(cluster)"}").Distinct().Order().ToList();
        Assert.True(denied.Count == 0, "not granted by config/rbac:\n" + string.Join('\n', denied));
        Assert.All(calls.Where(c => c.Resource is null), c => Assert.True(OperatorRequests.IsDiscovery(c), $"non-resource request {c.Verb} {c.Path}"));
        var made = resourceCalls.Select(c => c.Grant).ToHashSet();
        Assert.All(Exercised, grant => Assert.Contains(grant, made));
        Assert.Contains(made, g => g.Resource == "apikeys/status" && g.Verb is "update" or "patch");
        Assert.Contains(made, g => g.Resource == "apikeyrotations/status" && g.Verb is "update" or "patch");
        Assert.Contains(made, g => g.Resource == "leases" && g.Verb is "update" or "patch");
        Assert.Contains(made, g => g.Resource == "events" && g.Verb is "create" or "patch");
        Assert.Contains(resourceCalls, c => c.Grant.Resource == "leases" && c.Namespace == OperatorPermissions.OperatorNamespace);
    }

    private async Task RunWorkloadAsync(RunningOperator running, string reviewAuth)
    {
        await CreateApiKeyAsync(ApiKeyName, s => s.SecretName = SecretName);
        var issued = await WaitForReadyAsync(ApiKeyName);
        await Resources<V1Deployment>().CreateAsync(Deployment(), Ct);
        await WaitForAsync<V1Deployment>(Workload, d => d.Status?.ReadyReplicas == 1, "ready");

        if (running.ReviewUrl is { } reviewUrl)
        {
            await ReviewAsync(reviewUrl, reviewAuth);
        }

        await CreateRotationAsync("rotate-1", ApiKeyName, s => s.GracePeriod = "1s");
        await WaitForAsync<ApiKeyRotation>("rotate-1", r => r.Status?.Phase == RotationPhases.Succeeded, "Succeeded");
        await WaitForAsync<ApiKey>(ApiKeyName, k => k.Status?.Keys?.Any(r => r.Id == issued.Status.CurrentKeyId && r.State == KeyStates.Revoked) == true, "old key revoked");

        await Resources<ApiKey>().DeleteAsync(Key(ApiKeyName), Ct);
        await Eventually.WaitAsync(
            async ct => await Resources<ApiKey>().GetAsync(Key(ApiKeyName), ct) is null && await Resources<V1Secret>().GetAsync(Key(SecretName), ct) is null,
            Timeout,
            "ApiKey and its Secret deleted",
            Ct);
    }

    // Authorization off: a valid key is reviewed. With --review-auth kubernetes the caller must present a token the
    // cluster accepts; the kubeconfig's is as good as any, and only the TokenReview/SubjectAccessReview calls count here.
    private async Task ReviewAsync(Uri reviewUrl, string reviewAuth)
    {
        var secret = await Resources<V1Secret>().GetAsync(Key(SecretName), Ct);
        var token = Encoding.UTF8.GetString(secret!.Data[SecretDataKeys.ApiKey]);
        using var http = new HttpClient { BaseAddress = reviewUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, ReviewRequestHandler.Path.TrimStart('/'))
        {
            Content = JsonContent.Create(new ApiKeyReview
            {
                ApiVersion = ApiKeyReview.ApiVersionValue,
                Kind = ApiKeyReview.KindValue,
                Spec = new ApiKeyReviewSpec { Key = token },
            }),
        };
        if (reviewAuth == "kubernetes")
        {
            request.Headers.Authorization = new("Bearer", "kubesim");
        }

        using var response = await http.SendAsync(request, Ct);
        if (reviewAuth == "none")
        {
            var review = await response.Content.ReadFromJsonAsync<ApiKeyReview>(Ct);
            Assert.True(review?.Status?.Authenticated, $"review answered {(int)response.StatusCode}");
        }
    }

    // Leader election runs in this test's namespace instead of apikey-operator-system (tests share one cluster);
    // its Lease calls are checked as if made where the installed operator makes them. Leader election records no
    // Events, so every Event call is the operator's own about ApiKeys and rotations, checked where it was made.
    private ApiRequestAttributes Attributes(RequestRecord record)
    {
        var resource = record.Subresource is null ? record.Resource! : $"{record.Resource}/{record.Subresource}";
        var ns = record.Group == "coordination.k8s.io" && record.Resource == "leases" && record.Namespace == Namespace
            ? OperatorPermissions.OperatorNamespace
            : record.Namespace;
        return new ApiRequestAttributes(new RbacGrant(record.Group, resource, record.Verb), ns);
    }

    private V1Deployment Deployment() => new()
    {
        Metadata = new V1ObjectMeta { Name = Workload, NamespaceProperty = Namespace },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = Workload } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = Workload } },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container
                    {
                        Name = "app",
                        Image = "rancher/mirrored-pause:3.6",
                        VolumeMounts = [new V1VolumeMount { Name = "key", MountPath = "/etc/apikey", ReadOnlyProperty = true }],
                    }],
                    Volumes = [new V1Volume { Name = "key", Secret = new V1SecretVolumeSource { SecretName = SecretName } }],
                },
            },
        },
    };
}
