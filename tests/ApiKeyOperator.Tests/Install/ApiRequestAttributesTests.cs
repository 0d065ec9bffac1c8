using Xunit;

namespace ApiKeyOperator.Tests.Install;

/// <summary>HTTP calls map to RBAC attributes as the API server maps them, and the operator's calls are allowed.</summary>
public sealed class ApiRequestAttributesTests
{
    [Theory]
    [InlineData("GET", "/apis/apikeyoperator.io/v1alpha1/apikeys?resourceVersion=0", "apikeyoperator.io", "apikeys", "list", null)]
    [InlineData("GET", "/apis/apikeyoperator.io/v1alpha1/apikeys?watch=true&allowWatchBookmarks=true", "apikeyoperator.io", "apikeys", "watch", null)]
    [InlineData("GET", "/apis/apikeyoperator.io/v1alpha1/watch/namespaces/payments/apikeys", "apikeyoperator.io", "apikeys", "watch", "payments")]
    [InlineData("PUT", "/apis/apikeyoperator.io/v1alpha1/namespaces/payments/apikeys/billing/status", "apikeyoperator.io", "apikeys/status", "update", "payments")]
    [InlineData("PATCH", "/apis/apps/v1/namespaces/payments/deployments/exporter", "apps", "deployments", "patch", "payments")]
    [InlineData("GET", "/api/v1/namespaces/payments/secrets/billing-key", "", "secrets", "get", "payments")]
    [InlineData("DELETE", "/api/v1/namespaces/payments/secrets/billing-key", "", "secrets", "delete", "payments")]
    [InlineData("DELETE", "/api/v1/namespaces/payments/secrets", "", "secrets", "deletecollection", "payments")]
    [InlineData("POST", "/api/v1/namespaces/payments/events", "", "events", "create", "payments")]
    [InlineData("POST", "/apis/authentication.k8s.io/v1/tokenreviews", "authentication.k8s.io", "tokenreviews", "create", null)]
    [InlineData("GET", "/api/v1/namespaces/payments", "", "namespaces", "get", null)]
    public void MapsResourceRequests(string method, string path, string group, string resource, string verb, string? @namespace)
    {
        var attributes = ApiRequestAttributes.FromHttp(method, path);

        Assert.Equal(new ApiRequestAttributes(new RbacGrant(group, resource, verb), @namespace), attributes);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/apis")]
    [InlineData("/apis/apikeyoperator.io/v1alpha1")]
    [InlineData("/openapi/v3")]
    [InlineData("/version")]
    public void DiscoveryAndOpenApiAreNotResourceRequests(string path) =>
        Assert.Null(ApiRequestAttributes.FromHttp("GET", path));

    [Theory]
    [InlineData("GET", "/apis/apikeyoperator.io/v1alpha1/apikeys?watch=true")]
    [InlineData("PATCH", "/apis/apikeyoperator.io/v1alpha1/namespaces/payments/apikeys/billing")]
    [InlineData("POST", "/apis/apikeyoperator.io/v1alpha1/namespaces/payments/apikeyrotations")]
    [InlineData("DELETE", "/apis/apikeyoperator.io/v1alpha1/namespaces/payments/apikeyrotations/billing-2026-10")]
    [InlineData("PUT", "/apis/apikeyoperator.io/v1alpha1/namespaces/payments/apikeyrotations/billing-2026-11/status")]
    [InlineData("POST", "/api/v1/namespaces/payments/secrets")]
    [InlineData("PUT", "/api/v1/namespaces/payments/secrets/billing-key")]
    [InlineData("GET", "/apis/apps/v1/statefulsets?watch=1")]
    [InlineData("PATCH", "/apis/apps/v1/namespaces/payments/daemonsets/agent")]
    [InlineData("PATCH", "/apis/events.k8s.io/v1/namespaces/payments/events/billing.1")]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/apikey-operator-system/leases/apikey-operator")]
    [InlineData("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews")]
    public void OperatorCallsAreAllowed(string method, string path) =>
        Assert.True(OperatorPermissions.Allows(ApiRequestAttributes.FromHttp(method, path)!), $"{method} {path}");

    [Theory]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/payments/leases/apikey-operator")]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/payments/deployments/exporter")]
    [InlineData("PUT", "/apis/apps/v1/namespaces/payments/deployments/exporter")]
    [InlineData("DELETE", "/api/v1/namespaces/payments/secrets")]
    [InlineData("GET", "/api/v1/namespaces/payments/pods")]
    [InlineData("POST", "/apis/apikeyoperator.io/v1alpha1/namespaces/payments/apikeys")]
    [InlineData("DELETE", "/apis/apikeyoperator.io/v1alpha1/namespaces/payments/apikeys/billing")]
    [InlineData("GET", "/api/v1/namespaces/payments/configmaps/settings")]
    public void CallsBeyondThePolicyAreDenied(string method, string path) =>
        Assert.False(OperatorPermissions.Allows(ApiRequestAttributes.FromHttp(method, path)!), $"{method} {path}");
}
