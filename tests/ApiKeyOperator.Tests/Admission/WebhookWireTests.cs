using System.Text.Json.Nodes;
using ApiKeyOperator.Admission;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Admission;

public sealed class WebhookWireTests
{
    [Fact]
    public void A_review_is_read_with_its_user_info_and_dry_run()
    {
        var request = AdmissionRequest.Parse(JsonNode.Parse("""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
              "uid":"u1","kind":{"group":"apikeyoperator.io","version":"v1alpha1","kind":"ApiKey"},"operation":"DELETE",
              "namespace":"team","name":"billing","dryRun":true,
              "userInfo":{"username":"bob","uid":"uid-bob","groups":["editors"],"extra":{"scopes":["openid"]}},
              "oldObject":{"metadata":{"name":"billing"}}}}
            """));

        Assert.Equal(("u1", "DELETE", "ApiKey", "team", "billing", true), (request.Uid, request.Operation, request.Kind, request.Namespace, request.Name, request.DryRun));
        Assert.Equal(("bob", "uid-bob"), (request.User.Username, request.User.Uid));
        Assert.Equal(["editors"], request.User.Groups);
        Assert.Equal(["openid"], request.User.Extra["scopes"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{}}""")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}""")]
    public void Anything_else_is_not_a_review(string body) =>
        Assert.Throws<FormatException>(() => AdmissionRequest.Parse(JsonNode.Parse(body)));

    [Fact]
    public void A_refusal_carries_the_code_and_message_and_an_allowance_its_patch()
    {
        var refused = AdmissionDecision.Forbidden("spec.scopes: Forbidden: no").ToReview("u1");
        var patched = (AdmissionDecision.Allow() with { Patch = [new JsonObject { ["op"] = "add", ["path"] = "/x", ["value"] = 1 }] }).ToReview("u2");

        Assert.Equal(("u1", false, 403, "spec.scopes: Forbidden: no"), ((string?)refused["response"]!["uid"], (bool)refused["response"]!["allowed"]!, (int)refused["response"]!["status"]!["code"]!, (string?)refused["response"]!["status"]!["message"]));
        Assert.Equal("JSONPatch", (string?)patched["response"]!["patchType"]);
        Assert.Equal("""[{"op":"add","path":"/x","value":1}]""", AdmissionRequests.PatchText(patched));
    }

    [Fact]
    public void Self_registered_configurations_match_the_shipped_failure_policies_and_only_the_watched_namespaces()
    {
        var client = WebhookConfigurations.Url(new Uri("https://127.0.0.1:4443"), "-----BEGIN CERTIFICATE-----");
        var mutating = WebhookConfigurations.Mutating("local", client, ["team-a", "team-b"]);
        var validating = WebhookConfigurations.Validating("local", client, []);

        var hook = Assert.Single(mutating.Webhooks);
        Assert.Equal(("https://127.0.0.1:4443/mutate", "Fail", "None"), (hook.ClientConfig.Url, hook.FailurePolicy, hook.SideEffects));
        Assert.Equal(["team-a", "team-b"], hook.NamespaceSelector.MatchExpressions.Single().Values);
        Assert.Equal(["CREATE", "UPDATE"], hook.Rules.Single().Operations);
        Assert.Equal(
            [("validate.apikeyoperator.io", "Fail", "None"), ("deletion.apikeyoperator.io", "Ignore", "NoneOnDryRun")],
            validating.Webhooks.Select(w => (w.Name, w.FailurePolicy, w.SideEffects)));
        Assert.All(validating.Webhooks, w => Assert.Null(w.NamespaceSelector));
        Assert.Equal(["DELETE"], validating.Webhooks[1].Rules.Single().Operations);
        Assert.Equal("true", mutating.Metadata.Labels[WebhookConfigurations.SelfRegisteredLabel]);
        Assert.IsType<V1MutatingWebhookConfiguration>(mutating);
    }
}
