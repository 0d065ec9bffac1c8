using System.Text.Json.Nodes;
using ApiKeyOperator.Admission;
using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using k8s;
using Xunit;
using static ApiKeyOperator.Tests.Admission.AdmissionRequests;

namespace ApiKeyOperator.Tests.Admission;

public sealed class RequesterStampingTests
{
    private const string OperatorSa = "system:serviceaccount:apikey-operator-system:apikey-operator";
    private static readonly RequesterSigner Signer = new(new RequesterKey(new byte[32]));
    private static readonly OperatorUser Operator = new(OperatorSa);

    [Fact]
    public void A_create_is_stamped_with_the_authenticated_requester_and_the_record_verifies_once_stored()
    {
        var created = ApiKey("billing", """{"secretName":"billing-key"}""");

        var decision = RequesterStamping.Decide(Request("CREATE", created), Signer, Operator);
        var stored = KubernetesJson.Deserialize<ApiKey>(Apply(created, decision).ToJsonString());

        Assert.True(decision.Allowed);
        var record = Signer.Verified(stored)!;
        Assert.Equal(("bob", "uid-bob"), (record.Username, record.Uid));
        Assert.Equal(["editors", "system:authenticated"], record.Groups);
        Assert.Contains("JSONPatch", decision.ToReview("u").ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(RequesterRecord.Annotation, PatchText(decision.ToReview("u")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_set_record_is_refused_on_create_and_on_update()
    {
        var forged = new JsonObject { [RequesterRecord.Annotation] = """{"username":"system:apikey-operator","name":"billing","specHash":"x","mac":"x"}""" };
        var create = RequesterStamping.Decide(Request("CREATE", ApiKey("billing", """{"secretName":"k"}""", forged)), Signer, Operator);
        var stored = Stamped(ApiKey("billing", """{"secretName":"k"}"""));
        var edited = (JsonObject)stored.DeepClone();
        edited["metadata"]!["annotations"]![RequesterRecord.Annotation] = forged[RequesterRecord.Annotation]!.DeepClone();
        var update = RequesterStamping.Decide(Request("UPDATE", edited, stored), Signer, Operator);

        Assert.False(create.Allowed);
        Assert.False(update.Allowed);
        Assert.Equal(403, create.Code);
        Assert.Contains($"metadata.annotations[{RequesterRecord.Annotation}]", create.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operator_creating_its_own_rotation_is_stamped_from_its_user_info()
    {
        var rotation = new ApiKeyRotation { Metadata = new() { Name = "billing-scheduled", NamespaceProperty = "team" }, Spec = new() { ApiKeyName = "billing" } };
        Signer.StampAsOperator(rotation);
        var sa = new AdmissionUser(OperatorSa, "uid-sa", ["system:serviceaccounts"], new Dictionary<string, IReadOnlyList<string>>());
        var json = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(rotation))!;

        var decision = RequesterStamping.Decide(Request("CREATE", json, user: sa, kind: ApiKeyRotation.KubeKind), Signer, Operator);
        var stored = KubernetesJson.Deserialize<ApiKeyRotation>(Apply(json, decision).ToJsonString());

        Assert.True(decision.Allowed);
        Assert.Equal(OperatorSa, Signer.Verified(stored)!.Username);
    }

    [Fact]
    public void An_update_without_a_spec_change_keeps_the_record_and_restores_a_dropped_one()
    {
        var stored = Stamped(ApiKey("billing", """{"secretName":"k"}"""));
        var finalizer = (JsonObject)stored.DeepClone();
        finalizer["metadata"]!["finalizers"] = new JsonArray("apikeyoperator.io/finalizer");
        var replaced = ApiKey("billing", """{"secretName":"k"}""");

        var keep = RequesterStamping.Decide(Request("UPDATE", finalizer, stored, Carol), Signer, Operator);
        var restore = RequesterStamping.Decide(Request("UPDATE", replaced, stored, Carol), Signer, Operator);

        Assert.True(keep.Allowed);
        Assert.Null(keep.Patch);
        Assert.Equal(Record(stored), Record(Apply(replaced, restore)));
    }

    [Fact]
    public void A_spec_change_is_stamped_with_the_new_requester()
    {
        var stored = Stamped(ApiKey("billing", """{"secretName":"k"}"""));
        var changed = (JsonObject)stored.DeepClone();
        changed["spec"]!["scopes"] = new JsonArray("a");

        var decision = RequesterStamping.Decide(Request("UPDATE", changed, stored, Carol), Signer, Operator);

        Assert.Equal("carol", Signer.Verified(KubernetesJson.Deserialize<ApiKey>(Apply(changed, decision).ToJsonString()))!.Username);
    }

    [Fact]
    public void Status_writes_and_other_kinds_pass_untouched()
    {
        var status = Request("UPDATE", ApiKey("billing", "{}"), ApiKey("billing", "{}")) with { SubResource = "status" };

        Assert.Null(RequesterStamping.Decide(status, Signer, Operator).Patch);
        Assert.Null(RequesterStamping.Decide(Request("CREATE", ApiKey("x", "{}"), kind: "ConfigMap"), Signer, Operator).Patch);
    }

    private static AdmissionUser Carol { get; } = new("carol", null, [], new Dictionary<string, IReadOnlyList<string>>());

    private static JsonObject Stamped(JsonObject obj) => Apply(obj, RequesterStamping.Decide(Request("CREATE", obj), Signer, Operator));

    private static string? Record(JsonObject obj) => (string?)obj["metadata"]?["annotations"]?[RequesterRecord.Annotation];
}
