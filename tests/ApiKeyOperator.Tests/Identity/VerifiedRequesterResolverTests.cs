using ApiKeyOperator.Api;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Tests.Controllers;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.Tests.Identity;

public sealed class VerifiedRequesterResolverTests
{
    private const string OperatorSa = "system:serviceaccount:apikey-operator-system:apikey-operator";
    private readonly RequesterSigner _signer = new(new RequesterKey(new byte[32]));
    private readonly RecordingAuditLedger _ledger = new();
    private readonly VerifiedRequesterResolver _resolver;

    public VerifiedRequesterResolverTests() => _resolver = new VerifiedRequesterResolver(_signer, _ledger, new OperatorUser(OperatorSa));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_field_manager_and_last_applied_annotation_name_nobody()
    {
        var key = RequesterSignerTests.ApiKey("billing");
        key.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "apikey-operator", Operation = "Update", Time = DateTime.UtcNow }];
        key.Metadata.Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" };

        Assert.Equal(Requester.Unknown, _resolver.ChangedBy(key));
    }

    [Fact]
    public void A_verified_record_names_the_user_and_the_operator_user_maps_to_the_operator()
    {
        var byBob = RequesterSignerTests.ApiKey("billing");
        RequesterSignerTests.Stamp(byBob, new Requester("bob", ["editors"], "u1"), _signer);
        var byOperator = RequesterSignerTests.ApiKey("payments");
        RequesterSignerTests.Stamp(byOperator, new Requester(OperatorSa, ["system:serviceaccounts"], "u2"), _signer);

        Assert.Equal("bob", _resolver.ChangedBy(byBob).Username);
        Assert.Equal(Requester.Operator, _resolver.ChangedBy(byOperator));
    }

    [Fact]
    public void A_planted_scheduled_label_and_owner_reference_prove_nothing()
    {
        var rotation = new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta
            {
                Name = "billing-scheduled-1",
                NamespaceProperty = "team",
                Labels = new Dictionary<string, string> { [WellKnown.ScheduledLabel] = "true" },
                OwnerReferences = [new V1OwnerReference { Kind = ApiKey.KubeKind, Name = "billing", Uid = "uid-billing", Controller = true, ApiVersion = ApiGroup.ApiVersion }],
            },
            Spec = new ApiKeyRotationSpec { ApiKeyName = "billing" },
        };

        Assert.Equal(Requester.Unknown, _resolver.ChangedBy(rotation));
        _signer.StampAsOperator(rotation);
        Assert.Equal(Requester.Operator, _resolver.ChangedBy(rotation));
    }

    [Fact]
    public async Task The_deleter_is_the_requester_of_this_incarnation_not_of_a_namesake()
    {
        var key = RequesterSignerTests.ApiKey("billing");
        key.Metadata.DeletionTimestamp = DateTime.UtcNow.AddMinutes(1);
        await _ledger.TryRecordAsync(Row("mallory", "uid-earlier-billing"), Ct);
        await _ledger.TryRecordAsync(Row("carol", key.Metadata.Uid), Ct);

        Assert.Equal("carol", (await _resolver.DeletedByAsync(key, Ct)).Username);
        Assert.Equal(Requester.Unknown, await _resolver.DeletedByAsync(RequesterSignerTests.ApiKey("payments"), Ct));
    }

    [Fact]
    public void The_operator_user_is_the_subject_of_its_service_account_token()
    {
        var payload = Convert.ToBase64String("""{"iss":"kubernetes","sub":"system:serviceaccount:ops:apikey-operator"}"""u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal("system:serviceaccount:ops:apikey-operator", OperatorUser.SubjectOf($"eyJhbGciOiJSUzI1NiJ9.{payload}.sig"));
        Assert.Null(OperatorUser.SubjectOf("not-a-jwt"));
        Assert.Equal("me", OperatorUser.Detect(" me ", "/nonexistent").Username);
        Assert.Null(OperatorUser.Detect(null, "/nonexistent").Username);
        Assert.True(new OperatorUser(null).Is(Requester.Operator.Username));
    }

    private static AuditEntry Row(string actor, string uid) => new()
    {
        Kind = DeletionAudit.Kind,
        Namespace = "team",
        ApiKey = "billing",
        Actor = actor,
        Message = DeletionAudit.DeletionMessage(uid),
        Time = DateTime.UtcNow,
    };
}
