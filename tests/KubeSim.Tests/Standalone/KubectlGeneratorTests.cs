using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit;

namespace KubeSim.Tests.Standalone;

/// <summary>
/// Every `kubectl create &lt;generator&gt;` (which send protobuf) and the imperative edit commands, through the real
/// kubectl against a standalone KubeSim, with assertions on the object KubeSim stored.
/// </summary>
public sealed class KubectlGeneratorTests : IAsyncLifetime
{
    private StandaloneKubeSim sim = null!;
    private Kubectl kubectl = null!;
    private HttpClient http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        sim = await StandaloneKubeSim.StartAsync(Ct);
        kubectl = new Kubectl(sim);
        http = new HttpClient { BaseAddress = sim.Url };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await sim.DisposeAsync();
    }

    [Fact]
    public async Task Workload_generators_store_the_spec_kubectl_sent_as_protobuf()
    {
        SkipWithoutKubectl();
        await Succeeds("deployment.apps/web created", "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=8080");
        var deployment = await Stored("/apis/apps/v1/namespaces/default/deployments/web");
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("web", deployment["spec"]!["selector"]!["matchLabels"]!["app"]!.GetValue<string>());
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx", container["name"]!.GetValue<string>());
        Assert.Equal("nginx:1.27", container["image"]!.GetValue<string>());
        Assert.Equal(8080, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("RollingUpdate", deployment["spec"]!["strategy"]!["type"]!.GetValue<string>());

        await Succeeds("job.batch/once created", "create", "job", "once", "--image=busybox", "--", "echo", "hi");
        var job = await Stored("/apis/batch/v1/namespaces/default/jobs/once");
        Assert.Equal("Never", job["spec"]!["template"]!["spec"]!["restartPolicy"]!.GetValue<string>());
        Assert.Equal(["echo", "hi"], job["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(6, job["spec"]!["backoffLimit"]!.GetValue<int>());
        var uid = job["metadata"]!["uid"]!.GetValue<string>();
        Assert.Equal(uid, job["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]!.GetValue<string>());

        await Succeeds("cronjob.batch/nightly created", "create", "cronjob", "nightly", "--image=busybox", "--schedule=*/5 * * * *", "--", "date");
        var cron = await Stored("/apis/batch/v1/namespaces/default/cronjobs/nightly");
        Assert.Equal("*/5 * * * *", cron["spec"]!["schedule"]!.GetValue<string>());
        Assert.Equal("OnFailure", cron["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["restartPolicy"]!.GetValue<string>());

        // --from reads the CronJob back (JSON) and sends a Job (protobuf) owned by it.
        await Succeeds("job.batch/manual created", "create", "job", "manual", "--from=cronjob/nightly");
        var manual = await Stored("/apis/batch/v1/namespaces/default/jobs/manual");
        Assert.Equal("CronJob", manual["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        Assert.True(manual["metadata"]!["ownerReferences"]![0]!["controller"]!.GetValue<bool>());
        Assert.Equal(["date"], manual["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));

        await Succeeds("pod/p created", "run", "p", "--image=nginx", "--labels=a=b", "--env=X=1", "--port=80");
        var pod = await Stored("/api/v1/namespaces/default/pods/p");
        Assert.Equal("b", pod["metadata"]!["labels"]!["a"]!.GetValue<string>());
        Assert.Equal("1", pod["spec"]!["containers"]![0]!["env"]![0]!["value"]!.GetValue<string>());

        var jobs = await kubectl.RunAsync(Ct, "get", "jobs");
        Assert.Equal(["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], jobs.Table[0]);
        Assert.Equal(["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST", "SCHEDULE", "AGE"], (await kubectl.RunAsync(Ct, "get", "cronjobs")).Table[0]);
    }

    [Fact]
    public async Task Rbac_service_ingress_policy_and_quota_generators_store_what_was_asked()
    {
        SkipWithoutKubectl();
        await Succeeds("role.rbac.authorization.k8s.io/reader created", "create", "role", "reader", "--verb=get,list", "--resource=pods,secrets");
        var role = await Stored("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/reader");
        Assert.Equal(["get", "list"], role["rules"]![0]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));

        await Succeeds("rolebinding.rbac.authorization.k8s.io/reader created", "create", "rolebinding", "reader", "--role=reader", "--user=alice", "--serviceaccount=default:bot");
        var binding = await Stored("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/reader");
        Assert.Equal("Role", binding["roleRef"]!["kind"]!.GetValue<string>());
        Assert.Equal(["alice", "bot"], binding["subjects"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));

        await Succeeds("clusterrole.rbac.authorization.k8s.io/logs created", "create", "clusterrole", "logs", "--verb=get", "--non-resource-url=/logs/*");
        Assert.Equal("/logs/*", (await Stored("/apis/rbac.authorization.k8s.io/v1/clusterroles/logs"))["rules"]![0]!["nonResourceURLs"]![0]!.GetValue<string>());
        await Succeeds("clusterrole.rbac.authorization.k8s.io/agg created", "create", "clusterrole", "agg", "--aggregation-rule=team=a");
        Assert.Equal("a", (await Stored("/apis/rbac.authorization.k8s.io/v1/clusterroles/agg"))["aggregationRule"]!["clusterRoleSelectors"]![0]!["matchLabels"]!["team"]!.GetValue<string>());
        await Succeeds("clusterrolebinding.rbac.authorization.k8s.io/logs created", "create", "clusterrolebinding", "logs", "--clusterrole=logs", "--group=devs");
        Assert.Equal("Group", (await Stored("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/logs"))["subjects"]![0]!["kind"]!.GetValue<string>());

        await Succeeds("service/web created", "create", "service", "clusterip", "web", "--tcp=80:8080");
        var service = await Stored("/api/v1/namespaces/default/services/web");
        Assert.Equal(8080, service["spec"]!["ports"]![0]!["targetPort"]!.GetValue<int>());
        Assert.StartsWith("10.96.", service["spec"]!["clusterIP"]!.GetValue<string>(), StringComparison.Ordinal);
        await Succeeds("service/np created", "create", "service", "nodeport", "np", "--tcp=81:http", "--node-port=30081");
        var nodePort = await Stored("/api/v1/namespaces/default/services/np");
        Assert.Equal("http", nodePort["spec"]!["ports"]![0]!["targetPort"]!.GetValue<string>());
        Assert.Equal(30081, nodePort["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());
        await Succeeds("service/lb created", "create", "service", "loadbalancer", "lb", "--tcp=82:8082");
        Assert.Equal("LoadBalancer", (await Stored("/api/v1/namespaces/default/services/lb"))["spec"]!["type"]!.GetValue<string>());
        await Succeeds("service/ext created", "create", "service", "externalname", "ext", "--external-name=example.com");
        Assert.Equal("example.com", (await Stored("/api/v1/namespaces/default/services/ext"))["spec"]!["externalName"]!.GetValue<string>());

        await Succeeds("ingress.networking.k8s.io/web created", "create", "ingress", "web", "--class=nginx", "--rule=foo.com/bar*=web:80,tls=web-tls");
        var ingress = await Stored("/apis/networking.k8s.io/v1/namespaces/default/ingresses/web");
        var path = ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!;
        Assert.Equal("foo.com", ingress["spec"]!["rules"]![0]!["host"]!.GetValue<string>());
        Assert.Equal("Prefix", path["pathType"]!.GetValue<string>());
        Assert.Equal(80, path["backend"]!["service"]!["port"]!["number"]!.GetValue<int>());
        Assert.Equal("web-tls", ingress["spec"]!["tls"]![0]!["secretName"]!.GetValue<string>());

        await Succeeds("poddisruptionbudget.policy/pdb created", "create", "poddisruptionbudget", "pdb", "--selector=app=web", "--min-available=50%");
        Assert.Equal("50%", (await Stored("/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb"))["spec"]!["minAvailable"]!.GetValue<string>());

        await Succeeds("priorityclass.scheduling.k8s.io/high created", "create", "priorityclass", "high", "--value=-5", "--description=important", "--preemption-policy=Never");
        var priority = await Stored("/apis/scheduling.k8s.io/v1/priorityclasses/high");
        Assert.Equal(-5, priority["value"]!.GetValue<int>());
        Assert.Equal("Never", priority["preemptionPolicy"]!.GetValue<string>());

        await Succeeds("resourcequota/q created", "create", "quota", "q", "--hard=cpu=1,memory=1G,pods=2", "--scopes=BestEffort");
        var quota = await Stored("/api/v1/namespaces/default/resourcequotas/q");
        Assert.Equal("1G", quota["spec"]!["hard"]!["memory"]!.GetValue<string>());
        Assert.Equal("BestEffort", quota["spec"]!["scopes"]![0]!.GetValue<string>());

        var certificate = Path.Combine(sim.Directory, "tls.crt");
        var key = Path.Combine(sim.Directory, "tls.key");
        await File.WriteAllTextAsync(certificate, TestCertificate.Pem, Ct);
        await File.WriteAllTextAsync(key, TestCertificate.KeyPem, Ct);
        await Succeeds("secret/web-tls created", "create", "secret", "tls", "web-tls", $"--cert={certificate}", $"--key={key}");
        var tls = await Stored("/api/v1/namespaces/default/secrets/web-tls");
        Assert.Equal("kubernetes.io/tls", tls["type"]!.GetValue<string>());
        Assert.Equal(TestCertificate.Pem, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(tls["data"]!["tls.crt"]!.GetValue<string>())));
        await Succeeds("secret/reg created", "create", "secret", "docker-registry", "reg", "--docker-username=u", "--docker-password=p", "--docker-server=r.example.com");
        Assert.Equal("kubernetes.io/dockerconfigjson", (await Stored("/api/v1/namespaces/default/secrets/reg"))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scale_rollout_label_annotate_and_set_change_the_deployment()
    {
        SkipWithoutKubectl();
        await Succeeds("deployment.apps/web created", "create", "deployment", "web", "--image=nginx:1.27");
        await Succeeds("deployment.apps/web scaled", "scale", "deployment", "web", "--replicas=3");
        await Succeeds("deployment.apps/web restarted", "rollout", "restart", "deployment/web");
        await Succeeds("deployment.apps/web labeled", "label", "deployment", "web", "tier=frontend");
        await Succeeds("deployment.apps/web annotated", "annotate", "deployment", "web", "note=hello");
        await Succeeds("deployment.apps/web image updated", "set", "image", "deployment/web", "nginx=nginx:1.28");
        await Succeeds("deployment.apps/web env updated", "set", "env", "deployment/web", "MODE=fast");
        var status = await kubectl.RunAsync(Ct, "rollout", "status", "deployment/web", "--timeout=60s");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("deployment \"web\" successfully rolled out", status.Stdout, StringComparison.Ordinal);

        var deployment = await Stored("/apis/apps/v1/namespaces/default/deployments/web");
        Assert.Equal(3, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("frontend", deployment["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal("hello", deployment["metadata"]!["annotations"]!["note"]!.GetValue<string>());
        Assert.NotNull(deployment["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.28", container["image"]!.GetValue<string>());
        Assert.Equal("fast", container["env"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(3, deployment["status"]!["readyReplicas"]!.GetValue<int>());

        // Every create kubectl sent above was protobuf, every edit a patch: the request log shows both.
        var log = (await http.GetFromJsonNodeAsync("/kubesim/requests", Ct))!["items"]!.AsArray();
        Assert.Contains(log, r => r!["verb"]!.GetValue<string>() == "create" && r["contentType"]!.GetValue<string>().StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal));
        Assert.Contains(log, r => r!["verb"]!.GetValue<string>() == "patch" && r["path"]!.GetValue<string>().EndsWith("/scale", StringComparison.Ordinal));
    }

    private static void SkipWithoutKubectl()
    {
        if (!Kubectl.IsInstalled())
        {
            Assert.Skip("kubectl is not on PATH");
        }
    }

    private async Task Succeeds(string expected, params string[] args)
    {
        var result = await kubectl.RunAsync(Ct, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.Stdout.Trim());
    }

    private async Task<JsonObject> Stored(string path) =>
        (JsonObject)(await http.GetFromJsonNodeAsync(path, Ct))!;
}
