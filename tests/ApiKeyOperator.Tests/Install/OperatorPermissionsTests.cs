using Xunit;

namespace ApiKeyOperator.Tests.Install;

/// <summary>The calls the operator makes are allowed where it makes them, and neighbouring ones are not.</summary>
public sealed class OperatorPermissionsTests
{
    [Theory]
    [InlineData("apikeyoperator.io", "apikeys", "watch", null)]
    [InlineData("apikeyoperator.io", "apikeys", "patch", "payments")]
    [InlineData("apikeyoperator.io", "apikeyrotations", "create", "payments")]
    [InlineData("apikeyoperator.io", "apikeyrotations", "delete", "payments")]
    [InlineData("apikeyoperator.io", "apikeyrotations/status", "update", "payments")]
    [InlineData("", "secrets", "create", "payments")]
    [InlineData("", "secrets", "update", "payments")]
    [InlineData("apps", "statefulsets", "watch", null)]
    [InlineData("apps", "daemonsets", "patch", "payments")]
    [InlineData("", "events", "patch", "payments")]
    [InlineData("coordination.k8s.io", "leases", "update", OperatorPermissions.OperatorNamespace)]
    [InlineData("", "configmaps", "update", OperatorPermissions.OperatorNamespace)]
    [InlineData("authentication.k8s.io", "tokenreviews", "create", null)]
    [InlineData("", "events", "create", OperatorPermissions.OperatorNamespace)]
    [InlineData("authorization.k8s.io", "subjectaccessreviews", "create", null)]
    public void OperatorCallsAreAllowed(string group, string resource, string verb, string? @namespace) =>
        Assert.True(OperatorPermissions.Allows(new ApiRequestAttributes(new RbacGrant(group, resource, verb), @namespace)));

    [Theory]
    [InlineData("coordination.k8s.io", "leases", "update", "payments")]
    [InlineData("coordination.k8s.io", "leases", "list", null)]
    [InlineData("apps", "deployments", "delete", "payments")]
    [InlineData("apps", "deployments", "update", "payments")]
    [InlineData("", "secrets", "deletecollection", "payments")]
    [InlineData("", "pods", "list", "payments")]
    [InlineData("", "configmaps", "get", "payments")]
    [InlineData("apikeyoperator.io", "apikeys", "create", "payments")]
    [InlineData("apikeyoperator.io", "apikeys", "delete", "payments")]
    [InlineData("apikeyoperator.io", "apikeys/status", "delete", "payments")]
    [InlineData("apikeyoperator.io", "apikeys", "update", "payments")]
    [InlineData("apikeyoperator.io", "apikeyrotations", "patch", "payments")]
    [InlineData("apikeyoperator.io", "apikeys/status", "patch", "payments")]
    [InlineData("", "secrets", "patch", "payments")]
    [InlineData("", "configmaps", "update", "payments")]
    [InlineData("events.k8s.io", "events", "create", "payments")]
    public void CallsBeyondThePolicyAreDenied(string group, string resource, string verb, string? @namespace) =>
        Assert.False(OperatorPermissions.Allows(new ApiRequestAttributes(new RbacGrant(group, resource, verb), @namespace)));
}
