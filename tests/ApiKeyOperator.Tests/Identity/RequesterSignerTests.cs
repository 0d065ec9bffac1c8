using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using CsCheck;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Identity;

public sealed class RequesterSignerTests
{
    private static readonly RequesterSigner Signer = new(new RequesterKey([.. Enumerable.Range(1, 32).Select(i => (byte)i)]));
    private static readonly Requester Alice = new("alice", ["devs", "system:authenticated"], "uid-alice");

    [Fact]
    public void A_record_verifies_for_its_object_and_spec_only()
    {
        var key = ApiKey("billing", s => s.Scopes = ["invoices:read"]);
        Stamp(key, Alice);

        var record = Signer.Verified(key)!;
        Assert.Equal((Alice.Username, Alice.Uid), (record.Username, record.Uid));
        Assert.Equal(Alice.Groups, record.Groups);

        key.Spec.Scopes = ["invoices:write"];
        Assert.Null(Signer.Verified(key));
    }

    [Fact]
    public void A_record_copied_to_another_object_does_not_verify()
    {
        var original = ApiKey("billing");
        Stamp(original, Alice);
        var copy = ApiKey("payments");
        copy.Metadata.Annotations = new Dictionary<string, string>(original.Metadata.Annotations);
        var otherNamespace = ApiKey("billing");
        otherNamespace.Metadata.NamespaceProperty = "other";
        otherNamespace.Metadata.Annotations = new Dictionary<string, string>(original.Metadata.Annotations);

        Assert.Null(Signer.Verified(copy));
        Assert.Null(Signer.Verified(otherNamespace));
    }

    [Fact]
    public void A_record_signed_with_another_key_does_not_verify()
    {
        var key = ApiKey("billing");
        var forger = new RequesterSigner(new RequesterKey(new byte[32]));
        var record = forger.Sign(ApiKeyOperator.Api.ApiKey.KubeKind, "team", "billing", null, Alice, SpecHash.Of(key.Spec));
        key.Metadata.Annotations = new Dictionary<string, string> { [RequesterRecord.Annotation] = record.ToJson() };

        Assert.Null(Signer.Verified(key));
    }

    [Fact]
    public void Changing_any_field_of_a_record_breaks_it()
    {
        var key = ApiKey("billing");
        var record = Signer.Sign(ApiKeyOperator.Api.ApiKey.KubeKind, "team", "billing", null, Alice, SpecHash.Of(key.Spec));
        Gen.Int[0, 4].Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12]).Sample((field, text) =>
        {
            var tampered = field switch
            {
                0 => record with { Username = record.Username + text },
                1 => record with { Groups = [.. record.Groups, text] },
                2 => record with { Uid = text },
                3 => record with { Groups = ["system:masters"] },
                _ => record with { Name = "generateName:" + text },
            };
            return !Signer.Verifies(ApiKeyOperator.Api.ApiKey.KubeKind, "team", "billing", tampered, record.SpecHash);
        });
    }

    [Fact]
    public void A_generated_name_verifies_when_it_starts_with_the_prefix()
    {
        var rotation = new ApiKeyRotation { Metadata = new V1ObjectMeta { Name = "billing-x7k2p", NamespaceProperty = "team" }, Spec = new ApiKeyRotationSpec { ApiKeyName = "billing" } };
        var record = Signer.Sign(ApiKeyRotation.KubeKind, "team", "", "billing-", Alice, SpecHash.Of(rotation.Spec));
        rotation.Metadata.Annotations = new Dictionary<string, string> { [RequesterRecord.Annotation] = record.ToJson() };

        Assert.NotNull(Signer.Verified(rotation));
        rotation.Metadata.Name = "payments-x7k2p";
        Assert.Null(Signer.Verified(rotation));
    }

    [Fact]
    public void The_spec_hash_of_request_json_without_defaults_equals_the_typed_defaulted_spec()
    {
        var sent = JsonNode.Parse("""{"secretName":"billing-key","scopes":["a"]}""");
        var stored = new ApiKeySpec { SecretName = "billing-key", Scopes = ["a"] };

        Assert.Equal(SpecHash.Of(stored), SpecHash.OfJson(ApiKeyOperator.Api.ApiKey.KubeKind, sent));
        Assert.NotEqual(SpecHash.Of(stored), SpecHash.OfJson(ApiKeyOperator.Api.ApiKey.KubeKind, JsonNode.Parse("""{"secretName":"billing-key","scopes":["b"]}""")));
    }

    [Fact]
    public void Nothing_can_be_signed_before_the_key_is_loaded()
    {
        var unloaded = new RequesterSigner(new RequesterKey());

        Assert.Throws<InvalidOperationException>(() => unloaded.Sign(ApiKeyOperator.Api.ApiKey.KubeKind, "team", "billing", null, Alice, "hash"));
        Assert.Throws<ArgumentException>(() => new RequesterKey().Set(new byte[16]));
    }

    internal static ApiKeyOperator.Api.ApiKey ApiKey(string name, Action<ApiKeySpec>? configure = null)
    {
        var spec = new ApiKeySpec { SecretName = name + "-key" };
        configure?.Invoke(spec);
        return new ApiKey { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team", Uid = "uid-" + name }, Spec = spec };
    }

    internal static void Stamp(ApiKeyOperator.Api.ApiKey key, Requester requester, RequesterSigner? signer = null)
    {
        var record = (signer ?? Signer).Sign(ApiKeyOperator.Api.ApiKey.KubeKind, key.Metadata.NamespaceProperty, key.Metadata.Name, null, requester, SpecHash.Of(key.Spec));
        key.Metadata.Annotations ??= new Dictionary<string, string>();
        key.Metadata.Annotations[RequesterRecord.Annotation] = record.ToJson();
    }
}
