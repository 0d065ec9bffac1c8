using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using ApiKeyOperator.IntegrationTests.Verification;
using Duende.IdentityModel.Client;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>
/// Shared steps of the provider tests: an operator whose issuer is its own loopback review address (so discovery
/// URLs resolve), ClientCredentials ApiKeys, tokens from a standard OAuth2 client, and HTTP helpers.
/// </summary>
public abstract class ProvidersTest(ClusterFixture cluster) : VerificationTest(cluster)
{
    private readonly List<IAsyncDisposable> _servers = [];

    protected static HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    protected const string Audience = "https://recordings.example";

    /// <summary>
    /// Starts an operator serving the review listener on a free loopback port, with <c>--token-issuer</c> set to that
    /// address; signing keys re-read every 100 ms. <paramref name="extra"/> are further flags.
    /// </summary>
    protected Task<RunningOperator> StartProviderOperatorAsync(string[]? extra = null, Action<IServiceCollection>? configure = null, bool kubernetesAuth = false) =>
        FreePort.RetryAsync(port =>
        {
            var args = kubernetesAuth ? KubernetesAuthArgs() : OperatorArgs();
            args[Array.IndexOf(args, "--review-bind-address") + 1] = $"127.0.0.1:{port}";
            return StartOperatorAsync(
                Override([.. args, "--token-issuer", $"http://127.0.0.1:{port}", "--token-audience", Audience, "--token-signing-namespace", Namespace, "--token-signing-refresh-interval", "100ms"], extra ?? []),
                configure);
        });

    /// <summary><paramref name="args"/> with each <c>--flag value</c> of <paramref name="extra"/> replacing the same flag's value, or added.</summary>
    private static string[] Override(List<string> args, string[] extra)
    {
        for (var i = 0; i < extra.Length; i++)
        {
            var hasValue = i + 1 < extra.Length && !extra[i + 1].StartsWith("--", StringComparison.Ordinal);
            var at = args.IndexOf(extra[i]);
            if (hasValue && at >= 0)
            {
                args[at + 1] = extra[++i];
            }
            else
            {
                args.Add(extra[i]);
                if (hasValue)
                {
                    args.Add(extra[++i]);
                }
            }
        }

        return [.. args];
    }

    protected static string Issuer(RunningOperator running) => running.ReviewUrl!.GetLeftPart(UriPartial.Authority);

    protected async Task<(string ClientId, string ClientSecret)> CreateClientAsync(string name, IReadOnlyList<string> scopes, int? tokenLifetimeSeconds = null)
    {
        await CreateApiKeyAsync(name, s =>
        {
            s.Format = KeyFormats.ClientCredentials;
            s.Scopes = [.. scopes];
            s.TokenLifetimeSeconds = tokenLifetimeSeconds;
        });
        await WaitForReadyAsync(name);
        return await ReadClientAsync($"{name}-key");
    }

    /// <summary>The clientId and clientSecret now in the Secret, as a mounting pod reads them.</summary>
    protected async Task<(string ClientId, string ClientSecret)> ReadClientAsync(string secretName)
    {
        var secret = await Resources<V1Secret>().GetAsync(Key(secretName), Ct) ?? throw new InvalidOperationException($"Secret {secretName} is missing");
        return (Encoding.UTF8.GetString(secret.Data[SecretDataKeys.ClientId]), Encoding.UTF8.GetString(secret.Data[SecretDataKeys.ClientSecret]));
    }

    /// <summary>A token from the operator through Duende.IdentityModel's client credentials request (HTTP Basic by default).</summary>
    protected static async Task<TokenResponse> RequestTokenAsync(
        RunningOperator running, (string Id, string Secret) client, string? scope = null, ClientCredentialStyle style = ClientCredentialStyle.AuthorizationHeader,
        bool retryWhileLoading = true)
    {
        // A freshly started operator answers 503 until it has loaded its signing key, as a client is told to retry
        // (unless the test is about that answer).
        return await Eventually.GetAsync(
            async ct =>
            {
                var response = await Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
                {
                    Address = Issuer(running) + "/oauth2/token",
                    ClientId = client.Id,
                    ClientSecret = client.Secret,
                    ClientCredentialStyle = style,
                    Scope = scope,
                }, ct);
                var stillLoading = response.HttpStatusCode == System.Net.HttpStatusCode.ServiceUnavailable
                    && response.ErrorDescription?.Contains("no token signing key is loaded yet", StringComparison.Ordinal) == true;
                return stillLoading && retryWhileLoading ? null : response;
            },
            Timeout,
            "the token endpoint past loading its signing key",
            Ct);
    }

    protected static async Task<string> AccessTokenAsync(RunningOperator running, (string Id, string Secret) client, string? scope = null)
    {
        var response = await RequestTokenAsync(running, client, scope);
        Assert.False(response.IsError, $"token request failed: {response.Error} {response.ErrorDescription}");
        return response.AccessToken!;
    }

    protected static async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(Uri url, string? bearer = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await Http.SendAsync(request, Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response);
    }

    protected static JsonElement Json(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    protected T Track<T>(T server) where T : IAsyncDisposable
    {
        _servers.Add(server);
        return server;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
