using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Auth;

public sealed class SubjectAccessReviewTests : SimTestBase
{
    private const string Caller = "system:serviceaccount:shop:checkout";

    [Fact]
    public async Task Access_in_the_table_is_allowed_only_in_its_namespace()
    {
        Sim.Auth.Allow(Caller, "create", "apikeyoperator.io", "apikeyreviews", "shop");

        var own = await ReviewAsync(Caller, "create", "apikeyoperator.io", "apikeyreviews", "shop");
        var other = await ReviewAsync(Caller, "create", "apikeyoperator.io", "apikeyreviews", "payments");
        var otherVerb = await ReviewAsync(Caller, "delete", "apikeyoperator.io", "apikeyreviews", "shop");

        Assert.True(own.Status.Allowed);
        Assert.Contains("allows", own.Status.Reason, StringComparison.Ordinal);
        Assert.False(other.Status.Allowed);
        Assert.NotEqual(true, other.Status.Denied);
        Assert.False(otherVerb.Status.Allowed);
        Assert.Equal("shop", own.Spec.ResourceAttributes.NamespaceProperty);
    }

    [Fact]
    public async Task Cluster_wide_grant_applies_in_every_namespace_and_explicit_denial_wins_there()
    {
        Sim.Auth.Allow(Caller, "get", "", "secrets", null);
        Sim.Auth.SetAccess(new AccessAttributes(Caller, "get", "", "secrets", "kube-system"), allowed: false);

        var anywhere = await ReviewAsync(Caller, "get", "", "secrets", "shop");
        var clusterScoped = await ReviewAsync(Caller, "get", "", "secrets", null);
        var denied = await ReviewAsync(Caller, "get", "", "secrets", "kube-system");

        Assert.True(anywhere.Status.Allowed);
        Assert.True(clusterScoped.Status.Allowed);
        Assert.False(denied.Status.Allowed);
        Assert.True(denied.Status.Denied);
    }

    [Fact]
    public async Task Removed_access_is_no_longer_allowed()
    {
        var entry = new AccessAttributes(Caller, "create", "apikeyoperator.io", "apikeyreviews", "shop");
        Sim.Auth.SetAccess(entry, allowed: true);
        Sim.Auth.RemoveAccess(entry);

        var review = await ReviewAsync(Caller, "create", "apikeyoperator.io", "apikeyreviews", "shop");

        Assert.False(review.Status.Allowed);
    }

    [Fact]
    public async Task Review_without_user_or_attributes_is_invalid()
    {
        var (code, status) = await FailureOf(() => Client.AuthorizationV1.CreateSubjectAccessReviewAsync(
            new V1SubjectAccessReview { Spec = new V1SubjectAccessReviewSpec() }, cancellationToken: Ct));

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal(["spec.resourceAttributes", "spec.user"], status.Details.Causes.Select(c => c.Field));
    }

    [Fact]
    public async Task Injected_write_failure_reaches_the_caller()
    {
        Sim.Faults.FailNextWrites("subjectaccessreviews", 1, 503);

        var (code, _) = await FailureOf(() => ReviewAsync(Caller, "create", "apikeyoperator.io", "apikeyreviews", "shop"));
        var next = await ReviewAsync(Caller, "create", "apikeyoperator.io", "apikeyreviews", "shop");

        Assert.Equal(503, code);
        Assert.False(next.Status.Allowed);
    }

    private Task<V1SubjectAccessReview> ReviewAsync(string user, string verb, string group, string resource, string? ns) =>
        Client.AuthorizationV1.CreateSubjectAccessReviewAsync(
            new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = user,
                    Groups = ["system:authenticated"],
                    ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = group, Resource = resource, NamespaceProperty = ns },
                },
            },
            cancellationToken: Ct);
}
