using System.Net.Http.Json;
using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.ApiKeys;

/// <summary>
/// Every key the operator issued during a busy life (issuance of both formats, a restored Secret, an Emergency
/// rotation, verifications, deletion) is searched for in everything the operator let out: logs, Events, status,
/// metrics and the audit ledger file.
/// </summary>
public sealed class KeyMaterialTests(ClusterFixture cluster) : ApiKeyTest(cluster)
{
    private readonly HashSet<string> _material = new(StringComparer.Ordinal);

    [Fact]
    public async Task No_issued_key_appears_in_logs_events_status_metrics_or_the_ledger()
    {
        var running = await StartOperatorAsync();
        await CreateApiKeyAsync("token", s => s.Scopes = ["read"]);
        await CreateApiKeyAsync("client", s => s.Format = KeyFormats.ClientCredentials);
        await CreateApiKeyAsync("doomed");
        var token = await WaitForReadyAsync("token");
        await WaitForReadyAsync("client");
        await WaitForReadyAsync("doomed");
        await CollectAsync("token-key", "client-key", "doomed-key");

        await Resources<V1Secret>().DeleteAsync(Key("client-key"), Ct);
        await WaitForAsync<ApiKey>("client", k => k.Status?.Keys?.Count == 2 && Conditions.IsTrue(k.Status.Conditions, ConditionTypes.Ready), "a restored key");
        await CollectAsync("client-key");

        await CreateRotationAsync("token-now", "token", s => s.Strategy = RotationStrategies.Emergency);
        await WaitForAsync<ApiKeyRotation>("token-now", r => r.Status?.Phase == RotationPhases.Succeeded, "rotation Succeeded");
        var rotated = await WaitForAsync<ApiKey>("token", k => k.Status?.CurrentKeyId != token.Status.CurrentKeyId, "a rotated key");
        await CollectAsync("token-key");

        await VerifyAsync(running, Text((await SecretAsync("token-key"))!, SecretDataKeys.ApiKey), expectAuthenticated: true);
        var oldToken = _material.First(m => m.Contains(token.Status.CurrentKeyId!, StringComparison.Ordinal));
        await VerifyAsync(running, oldToken, expectAuthenticated: false);

        await Resources<ApiKey>().DeleteAsync(Key("doomed"), Ct);
        await Eventually.WaitAsync(async _ => await Resources<ApiKey>().GetAsync(Key("doomed"), Ct) is null, Timeout, "doomed ApiKey gone", Ct);
        Assert.Equal(2, rotated.Status.Keys!.Count);

        var metrics = await MetricsTextAsync(running, Ct);
        await running.StopAsync();
        Assert.Equal(5, _material.Count(m => m.StartsWith("ak_", StringComparison.Ordinal)) + _material.Count(m => !m.Contains('_', StringComparison.Ordinal)));

        var places = new Dictionary<string, string>
        {
            ["operator logs"] = Logs.Text,
            ["Events"] = KubernetesJson.Serialize(await EventsAsync()),
            ["ApiKey status"] = KubernetesJson.Serialize((await Resources<ApiKey>().ListAsync(Namespace, null, Ct)).Items.Select(k => k.Status)),
            ["ApiKeyRotation status"] = KubernetesJson.Serialize((await Resources<ApiKeyRotation>().ListAsync(Namespace, null, Ct)).Items.Select(r => r.Status)),
            ["/metrics"] = metrics,
        };
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(LedgerPath)!, Path.GetFileName(LedgerPath) + "*"))
        {
            places[file] = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, Ct));
        }

        Assert.Contains(places.Keys, p => p.EndsWith("ledger.db", StringComparison.Ordinal));
        Assert.Contains("Revoked", places["Events"], StringComparison.Ordinal);
        foreach (var (place, text) in places)
        {
            foreach (var secret in _material.SelectMany(Forms))
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"key material found in {place}");
            }
        }
    }

    /// <summary>The secret part of a credential (the random characters), in clear and base64.</summary>
    private static IEnumerable<string> Forms(string credential)
    {
        var secretPart = credential[(credential.LastIndexOf('_') + 1)..];
        return [credential, secretPart, Convert.ToBase64String(Encoding.UTF8.GetBytes(credential))];
    }

    private async Task CollectAsync(params string[] secretNames)
    {
        foreach (var name in secretNames)
        {
            var secret = (await SecretAsync(name))!;
            _material.Add(secret.Data.TryGetValue(SecretDataKeys.ApiKey, out var token) ? Encoding.UTF8.GetString(token) : Text(secret, SecretDataKeys.ClientSecret));
        }
    }

    private async Task VerifyAsync(RunningOperator running, string key, bool expectAuthenticated)
    {
        using var http = new HttpClient();
        var review = new { apiVersion = "apikeyoperator.io/v1alpha1", kind = "ApiKeyReview", spec = new { key } };
        await Eventually.WaitAsync(
            async ct =>
            {
                using var response = await http.PostAsJsonAsync(new Uri(running.ReviewUrl!, "apis/apikeyoperator.io/v1alpha1/apikeyreviews"), review, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                Assert.DoesNotContain(key, body, StringComparison.Ordinal);
                return response.IsSuccessStatusCode && body.Contains($"\"authenticated\":{(expectAuthenticated ? "true" : "false")}", StringComparison.Ordinal);
            },
            Timeout,
            $"review answers authenticated={expectAuthenticated}",
            Ct);
    }
}
