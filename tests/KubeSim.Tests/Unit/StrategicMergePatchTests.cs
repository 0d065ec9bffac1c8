using System.Text.Json.Nodes;
using KubeSim.Patching;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class StrategicMergePatchTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"},"finalizers":["a"]},
         "spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"web"}},"spec":{
           "containers":[
             {"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
              "ports":[{"containerPort":80,"protocol":"TCP"}],"volumeMounts":[{"name":"creds","mountPath":"/creds"}],"args":["--x"]},
             {"name":"sidecar","image":"side:1"}],
           "volumes":[{"name":"creds","secret":{"secretName":"s1"}}]}}}}
        """;

    private static JsonObject Patch(string target, string patch, string kind = "Deployment") =>
        (JsonObject)StrategicMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch), kind)!;

    private static JsonObject PodSpec(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!.AsObject();

    [Fact]
    public void MergesContainersByName()
    {
        var result = Patch(Deployment, """{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:2"}]}}}}""");

        var containers = PodSpec(result)["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("app:2", (string?)containers[0]!["image"]);
        Assert.Equal("--x", (string?)containers[0]!["args"]![0]);
        Assert.Equal("side:1", (string?)containers[1]!["image"]);
    }

    [Fact]
    public void AppendsNewNamedItemsAndMergesEnvByName()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}]},{"name":"third","image":"t:1"}]}}}}
            """);

        var containers = PodSpec(result)["containers"]!.AsArray();
        Assert.Equal(["app", "sidecar", "third"], containers.Select(c => (string?)c!["name"]));
        var env = containers[0]!["env"]!.AsArray();
        Assert.Equal(["A=1", "B=20", "C=3"], env.Select(e => $"{e!["name"]}={e["value"]}"));
    }

    [Fact]
    public void MergesPortsByContainerPortAndMountsByPath()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"app",
              "ports":[{"containerPort":80,"name":"http"},{"containerPort":443}],
              "volumeMounts":[{"mountPath":"/creds","readOnly":true}]}]}}}}
            """);

        var app = PodSpec(result)["containers"]![0]!;
        Assert.Equal("""[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":443}]""", app["ports"]!.ToJsonString());
        Assert.Equal("""[{"name":"creds","mountPath":"/creds","readOnly":true}]""", app["volumeMounts"]!.ToJsonString());
    }

    [Fact]
    public void ReplacesListsWithoutMergeKey()
    {
        var result = Patch(Deployment, """{"spec":{"template":{"spec":{"containers":[{"name":"app","args":["--y","--z"]}]}}}}""");

        Assert.Equal("""["--y","--z"]""", PodSpec(result)["containers"]![0]!["args"]!.ToJsonString());
    }

    [Fact]
    public void PatchDeleteRemovesListItemByKey()
    {
        var result = Patch(Deployment, """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}],"volumes":[{"name":"absent","$patch":"delete"}]}}}}""");

        Assert.Equal(["app"], PodSpec(result)["containers"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Single(PodSpec(result)["volumes"]!.AsArray());
    }

    [Fact]
    public void PatchReplaceInListReplacesWholeList()
    {
        var result = Patch(Deployment, """{"spec":{"template":{"spec":{"volumes":[{"$patch":"replace"},{"name":"other","emptyDir":{}}]}}}}""");

        Assert.Equal("""[{"name":"other","emptyDir":{}}]""", PodSpec(result)["volumes"]!.ToJsonString());
    }

    [Fact]
    public void PatchReplaceOnMapReplacesMap()
    {
        var result = Patch(Deployment, """{"metadata":{"labels":{"$patch":"replace","tier":"front"}}}""");

        Assert.Equal("""{"tier":"front"}""", result["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public void PatchDeleteOnMapRemovesMap()
    {
        var result = Patch(Deployment, """{"metadata":{"labels":{"$patch":"delete"}}}""");

        Assert.False(result["metadata"]!.AsObject().ContainsKey("labels"));
    }

    [Fact]
    public void NullDeletesFields()
    {
        var result = Patch(Deployment, """{"spec":{"replicas":null,"template":{"spec":{"containers":[{"name":"app","args":null}]}}}}""");

        Assert.False(result["spec"]!.AsObject().ContainsKey("replicas"));
        Assert.False(PodSpec(result)["containers"]![0]!.AsObject().ContainsKey("args"));
    }

    [Fact]
    public void RetainKeysDropsUnlistedFields()
    {
        var result = Patch(Deployment, """{"spec":{"template":{"spec":{"volumes":[{"name":"creds","$retainKeys":["configMap","name"],"configMap":{"name":"cm"}}]}}}}""");

        Assert.Equal("""[{"name":"creds","configMap":{"name":"cm"}}]""", PodSpec(result)["volumes"]!.ToJsonString());
    }

    [Fact]
    public void SetElementOrderReordersMergedList()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],"containers":[{"name":"app","image":"app:3"}]}}}}
            """);

        var containers = PodSpec(result)["containers"]!.AsArray();
        Assert.Equal(["sidecar", "app"], containers.Select(c => (string?)c!["name"]));
        Assert.Equal("app:3", (string?)containers[1]!["image"]);
        Assert.DoesNotContain(PodSpec(result), p => p.Key.StartsWith('$'));
    }

    [Fact]
    public void KubectlApplyPatchForDeploymentUpdatesImageAndAnnotation()
    {
        // The shape kubectl apply sends for an image change of an applied Deployment.
        var result = Patch(Deployment, """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"kind\":\"Deployment\"}\n"}},
             "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
               "containers":[{"image":"app:9","name":"app"}]}}}}
            """);

        Assert.Equal("{\"kind\":\"Deployment\"}\n", (string?)result["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);
        Assert.Equal("app:9", (string?)PodSpec(result)["containers"]![0]!["image"]);
        Assert.Equal("web", (string?)result["metadata"]!["name"]);
        Assert.Equal(1, (int?)result["spec"]!["replicas"]);
    }

    [Fact]
    public void KubectlApplyPatchForSecretReplacesAndDeletesKeys()
    {
        const string secret = """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque","data":{"a":"MQ==","b":"Mg=="}}""";

        var result = Patch(secret, """{"data":{"a":"OQ==","b":null,"c":"Mw=="},"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}}}""", "Secret");

        Assert.Equal("""{"a":"OQ==","c":"Mw=="}""", result["data"]!.ToJsonString());
        Assert.Equal("Opaque", (string?)result["type"]);
    }

    [Fact]
    public void ConfigMapDataMergesLikeAMap()
    {
        var result = Patch("""{"kind":"ConfigMap","data":{"x":"1"}}""", """{"data":{"y":"2"}}""", "ConfigMap");

        Assert.Equal("""{"x":"1","y":"2"}""", result["data"]!.ToJsonString());
    }

    [Fact]
    public void FinalizersMergeAsSetAndDeleteFromPrimitiveList()
    {
        var added = Patch(Deployment, """{"metadata":{"finalizers":["b","a"]}}""");
        Assert.Equal("""["a","b"]""", added["metadata"]!["finalizers"]!.ToJsonString());

        var removed = Patch(added.ToJsonString(), """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""");
        Assert.Equal("""["b"]""", removed["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void ConditionsMergeByType()
    {
        const string pod = """{"kind":"Pod","status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Initialized","status":"True"}]}}""";

        var result = Patch(pod, """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""", "Pod");

        Assert.Equal("""[{"type":"Ready","status":"True"},{"type":"Initialized","status":"True"}]""", result["status"]!["conditions"]!.ToJsonString());
    }

    [Fact]
    public void OwnerReferencesMergeByUid()
    {
        const string pod = """{"kind":"Pod","metadata":{"ownerReferences":[{"uid":"1","name":"a"}]}}""";

        var result = Patch(pod, """{"metadata":{"ownerReferences":[{"uid":"2","name":"b"}]}}""", "Pod");

        Assert.Equal(2, result["metadata"]!["ownerReferences"]!.AsArray().Count);
    }

    [Fact]
    public void ServicePortsMergeByPort()
    {
        const string service = """{"kind":"Service","spec":{"ports":[{"port":80,"name":"http"}]}}""";

        var result = Patch(service, """{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}""", "Service");

        Assert.Equal("""[{"port":80,"name":"http","targetPort":8080},{"port":443}]""", result["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void EnvFromIsReplaced()
    {
        const string pod = """{"kind":"Pod","spec":{"containers":[{"name":"c","envFrom":[{"secretRef":{"name":"a"}}]}]}}""";

        var result = Patch(pod, """{"spec":{"containers":[{"name":"c","envFrom":[{"secretRef":{"name":"b"}}]}]}}""", "Pod");

        Assert.Equal("""[{"secretRef":{"name":"b"}}]""", result["spec"]!["containers"]![0]!["envFrom"]!.ToJsonString());
    }

    [Fact]
    public void CreatesListsAndMapsThatDoNotExist()
    {
        var result = Patch("""{"kind":"Pod"}""", """{"spec":{"containers":[{"name":"c","image":"i","env":[{"name":"A","value":null}]}]}}""", "Pod");

        Assert.Equal("""{"name":"c","image":"i","env":[{"name":"A"}]}""", result["spec"]!["containers"]![0]!.ToJsonString());
    }

    [Fact]
    public void RetainKeysOnStrategySwitchDropsRollingUpdate()
    {
        // kubectl apply switching a Deployment from RollingUpdate to Recreate.
        var target = """{"kind":"Deployment","spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}}""";

        var result = Patch(target, """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}""");

        Assert.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void DeletesNestedListItemInsideMergedContainer()
    {
        var result = Patch(Deployment, """{"spec":{"template":{"spec":{"containers":[{"name":"app","volumeMounts":[{"mountPath":"/creds","$patch":"delete"}],"env":[{"name":"A","$patch":"delete"}]}]}}}}""");

        var app = PodSpec(result)["containers"]![0]!;
        Assert.Empty(app["volumeMounts"]!.AsArray());
        Assert.Equal(["B"], app["env"]!.AsArray().Select(e => (string?)e!["name"]));
    }

    [Fact]
    public void ExplicitMergeDirectiveMergesMap()
    {
        var result = Patch(Deployment, """{"metadata":{"labels":{"$patch":"merge","tier":"front"}}}""");

        Assert.Equal("""{"app":"web","tier":"front"}""", result["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public void SetElementOrderOfPrimitiveListReorders()
    {
        var result = Patch(Deployment, """{"metadata":{"$setElementOrder/finalizers":["b","a"],"finalizers":["b"]}}""");

        Assert.Equal("""["b","a"]""", result["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void ScalarReplacesObjectAndObjectReplacesScalar()
    {
        var toScalar = Patch(Deployment, """{"spec":{"template":"x"}}""");
        Assert.Equal("x", (string?)toScalar["spec"]!["template"]);

        var toObject = Patch("""{"kind":"Pod","spec":{"nodeName":"n"}}""", """{"spec":{"nodeName":{"a":1,"b":null}}}""", "Pod");
        Assert.Equal("""{"a":1}""", toObject["spec"]!["nodeName"]!.ToJsonString());
    }

    [Fact]
    public void ListItemWithoutMergeKeyIsRejected()
    {
        Assert.Throws<PatchException>(() => Patch(Deployment, """{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"""));
    }

    [Fact]
    public void UnknownDirectiveIsRejected()
    {
        Assert.Throws<PatchException>(() => Patch(Deployment, """{"metadata":{"labels":{"$patch":"explode"}}}"""));
    }

    [Fact]
    public void NonObjectPatchIsRejected()
    {
        Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(JsonNode.Parse("{}"), JsonNode.Parse("[1]"), "Pod"));
    }

    [Fact]
    public void UnknownKindFallsBackToMergePatch()
    {
        const string custom = """{"kind":"ApiKey","spec":{"scopes":["a","b"],"owner":"x"}}""";

        var result = Patch(custom, """{"spec":{"scopes":["c"],"owner":null}}""", "ApiKey");

        Assert.Equal("""{"scopes":["c"]}""", result["spec"]!.ToJsonString());
    }

    [Fact]
    public void DoesNotModifyTarget()
    {
        var target = JsonNode.Parse(Deployment)!;
        var before = target.ToJsonString();

        StrategicMergePatch.Apply(target, JsonNode.Parse("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"z"}]}}}}"""), "Deployment");

        Assert.Equal(before, target.ToJsonString());
    }
}
