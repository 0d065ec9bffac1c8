using System.Diagnostics;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Verification;
using ApiKeyOperator.Verification;
using KubeSim;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>
/// A real NGINX (Debian's) with the README's <c>auth_request</c> configuration in front of a tiny upstream: the
/// gateway nobody here wrote decides from the operator's forward-auth answers.
/// </summary>
public sealed class NginxForwardAuthTests(ClusterFixture cluster) : ProvidersTest(cluster)
{
    [Fact]
    public async Task Valid_key_passes_with_its_identity_and_bad_keys_never_reach_the_service()
    {
        var running = await StartProviderOperatorAsync();
        var (gateway, upstream) = await StartGatewayAsync(running);
        await CreateApiKeyAsync("billing", s => s.Scopes = ["recordings:read"]);
        await CreateApiKeyAsync("narrow", s => s.Scopes = ["recordings:list"]);
        await WaitForReadyAsync("billing");
        await WaitForReadyAsync("narrow");
        var key = await ReadKeyAsync("billing-key");
        var narrow = await ReadKeyAsync("narrow-key");
        var keyId = (await Resources<ApiKey>().GetAsync(Key("billing"), Ct))!.Status.CurrentKeyId;

        var allowed = await GetAsync(new Uri(gateway.Url, "/recordings/7"), key, ("X-ApiKey-Namespace", "spoofed"));
        Assert.Equal(200, allowed.Status);
        var seen = Json(allowed.Body);
        Assert.Equal(Namespace, seen.GetProperty("x-apikey-namespace").GetString());
        Assert.Equal("billing", seen.GetProperty("x-apikey-name").GetString());
        Assert.Equal(keyId, seen.GetProperty("x-apikey-key-id").GetString());
        Assert.Equal("recordings:read", seen.GetProperty("x-apikey-scopes").GetString());
        var served = upstream.Requests;

        var malformed = await GetAsync(new Uri(gateway.Url, "/recordings/7"), key[..^1] + (key[^1] == 'a' ? 'b' : 'a'));
        var missing = await GetAsync(new Uri(gateway.Url, "/recordings/7"));
        var wrongScope = await GetAsync(new Uri(gateway.Url, "/recordings/7"), narrow);

        Assert.Equal(401, malformed.Status);
        Assert.Contains("error=\"invalid_token\"", malformed.Response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(401, missing.Status);
        Assert.Equal(403, wrongScope.Status);
        Assert.Equal(served, upstream.Requests);
        foreach (var answer in new[] { malformed, missing, wrongScope })
        {
            Assert.DoesNotContain(key, answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(narrow, answer.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(key, Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, gateway.ErrorLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Old_key_is_refused_within_a_second_of_an_Emergency_rotation_and_the_new_key_passes()
    {
        var running = await StartProviderOperatorAsync();
        var (gateway, _) = await StartGatewayAsync(running);
        await CreateApiKeyAsync("leaked", s => s.Scopes = ["recordings:read"]);
        var before = await WaitForReadyAsync("leaked");
        var compromised = await ReadKeyAsync("leaked-key");
        Assert.Equal(200, (await GetAsync(new Uri(gateway.Url, "/recordings"), compromised)).Status);

        var measurement = await RevocationMeasurement.RunAsync(
            () => CreateRotationAsync("leaked-r1", "leaked", s => { s.Strategy = RotationStrategies.Emergency; s.Reason = "posted in a public channel"; }),
            ct => WatchUntilRevokedAsync("leaked", before.Metadata.ResourceVersion, ct),
            async ct => (await GetAsync(new Uri(gateway.Url, "/recordings"), compromised)).Status switch
            {
                200 => ReviewReason.Valid,
                401 => ReviewReason.Revoked,
                var other => throw new InvalidOperationException($"nginx answered {other}"),
            },
            Timeout,
            Ct);
        await WaitForPhaseAsync("leaked-r1", RotationPhases.Succeeded);

        Assert.True(measurement.NeverValidAfterRejection, "after the first refusal the old key passed the gateway again");
        Assert.True(measurement.RevokeToRejection < TimeSpan.FromSeconds(1), $"revoked -> refused at the gateway took {measurement.RevokeToRejection.TotalMilliseconds:0} ms");
        Assert.Equal(200, (await GetAsync(new Uri(gateway.Url, "/recordings"), await ReadKeyAsync("leaked-key"))).Status);
        TestContext.Current.TestOutputHelper?.WriteLine($"revoked -> refused at nginx: {measurement.RevokeToRejection.TotalMilliseconds:0.0} ms ({measurement.Reviews} requests)");
    }

    [Fact]
    public async Task Expired_key_is_refused_once_its_expiry_passes()
    {
        var running = await StartProviderOperatorAsync();
        var (gateway, _) = await StartGatewayAsync(running);
        var expiresAt = DateTime.UtcNow.AddSeconds(5);
        await CreateApiKeyAsync("short", s => { s.Scopes = ["recordings:read"]; s.ExpiresAt = expiresAt; });
        await WaitForReadyAsync("short");
        var key = await ReadKeyAsync("short-key");

        var refused = await Eventually.GetAsync(
            async _ => await GetAsync(new Uri(gateway.Url, "/recordings"), key) is { Status: 401 } answer ? answer.Response : null,
            Timeout, "nginx refusing the expired key", Ct);

        // Second precision: the key's expiry is stored in whole seconds.
        Assert.True(DateTime.UtcNow >= expiresAt.AddSeconds(-1), $"refused at {DateTime.UtcNow:O}, before the expiry {expiresAt:O}");
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_of_another_tenant_refuses_this_tenants_key_and_access_tokens_pass_like_keys()
    {
        var running = await StartProviderOperatorAsync();
        var (gateway, _) = await StartGatewayAsync(running);
        var (foreignRoute, _) = await StartGatewayAsync(running, routeNamespace: Namespace + "-other");
        var client = await CreateClientAsync("exporter", ["recordings:read"]);
        var token = await AccessTokenAsync(running, client);

        var viaToken = await GetAsync(new Uri(gateway.Url, "/recordings"), token);
        var viaForeignRoute = await GetAsync(new Uri(foreignRoute.Url, "/recordings"), token);

        Assert.Equal(200, viaToken.Status);
        Assert.Equal("exporter", Json(viaToken.Body).GetProperty("x-apikey-name").GetString());
        Assert.Equal(401, viaForeignRoute.Status);
    }

    /// <summary>The gateway authenticates with its ServiceAccount token; what it may ask about is the sample Role's RBAC.</summary>
    [Fact]
    public async Task Gateway_is_authenticated_and_authorised_by_the_sample_Role()
    {
        var sim = Sim;
        await ApplySampleRoleAsync(gatewayServiceAccount: "ingress-nginx");
        sim.Auth.SetToken($"{Namespace}-gateway", AuthUser.ServiceAccount(Namespace, "ingress-nginx"));
        sim.Auth.SetToken($"{Namespace}-stranger", AuthUser.ServiceAccount(Namespace, "stranger"));
        var running = await StartProviderOperatorAsync(kubernetesAuth: true);
        var (gateway, _) = await StartGatewayAsync(running, gatewayToken: $"{Namespace}-gateway");
        var (stranger, _) = await StartGatewayAsync(running, gatewayToken: $"{Namespace}-stranger");
        var (anonymous, _) = await StartGatewayAsync(running, gatewayToken: "");
        await CreateApiKeyAsync("billing", s => s.Scopes = ["recordings:read"]);
        await WaitForReadyAsync("billing");
        var key = await ReadKeyAsync("billing-key");

        Assert.Equal(200, (await GetAsync(new Uri(gateway.Url, "/recordings"), key)).Status);
        Assert.Equal(403, (await GetAsync(new Uri(stranger.Url, "/recordings"), key)).Status);
        Assert.Equal(401, (await GetAsync(new Uri(anonymous.Url, "/recordings"), key)).Status);
        Assert.DoesNotContain($"{Namespace}-gateway", Logs.Text, StringComparison.Ordinal);
    }

    /// <summary>nginx with the README's configuration, pointed at this test's operator, upstream and namespace.</summary>
    private async Task<(NginxGateway Gateway, EchoUpstream Upstream)> StartGatewayAsync(RunningOperator running, string? routeNamespace = null, string gatewayToken = "unused")
    {
        var upstream = Track(await EchoUpstream.StartAsync(Ct));
        var review = running.ReviewUrl!;
        var configuration = ReadmeSnippet.Fill(
            ReadmeSnippet.Read("nginx-gateway"),
            ("apikey-operator-review.apikey-operator-system.svc:8443;", $"{review.Host}:{review.Port};"),
            ("billing-api.payments.svc:8080", $"{upstream.Url.Host}:{upstream.Url.Port}"),
            ("listen 8080;", "listen 127.0.0.1:{{port}};"),
            ("namespaces=payments", $"namespaces={routeNamespace ?? Namespace}"),
            ("\"Bearer ${GATEWAY_TOKEN}\"", $"\"Bearer {gatewayToken}\""));
        // The test operator serves plain HTTP: drop the TLS settings that the in-cluster install needs.
        configuration = ReadmeSnippet.Fill(configuration, ("proxy_pass https://apikey_operator", "proxy_pass http://apikey_operator"));
        configuration = string.Join('\n', configuration.Split('\n').Where(l => !l.TrimStart().StartsWith("proxy_ssl_", StringComparison.Ordinal)));
        var gateway = Track(await NginxGateway.StartAsync(configuration, Ct));
        return (gateway, upstream);
    }

    private async Task ApplySampleRoleAsync(string gatewayServiceAccount)
    {
        var documents = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "config", "samples", "provider-role.yaml"), Ct));
        var role = documents.OfType<V1Role>().Single();
        var binding = documents.OfType<V1RoleBinding>().Single();
        role.Metadata.NamespaceProperty = Namespace;
        binding.Metadata.NamespaceProperty = Namespace;
        foreach (var subject in binding.Subjects)
        {
            subject.NamespaceProperty = Namespace;
        }

        Assert.Contains(binding.Subjects, s => s.Name == gatewayServiceAccount);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, Namespace, cancellationToken: Ct);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, Namespace, cancellationToken: Ct);
    }

    private async Task WatchUntilRevokedAsync(string apiKeyName, string resourceVersion, CancellationToken cancellationToken)
    {
        await foreach (var change in Resources<ApiKey>().WatchAsync(Namespace, null, resourceVersion, Timeout, TimeProvider.System, cancellationToken))
        {
            if (change.Object?.Metadata.Name == apiKeyName && change.Object.Status?.Keys?.Any(k => k.State == KeyStates.Revoked) == true)
            {
                return;
            }
        }

        throw new TimeoutException($"the watch on ApiKey {apiKeyName} ended before its status showed a revoked key");
    }
}
