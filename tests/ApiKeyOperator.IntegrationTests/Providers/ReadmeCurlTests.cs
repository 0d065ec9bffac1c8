using System.Diagnostics;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Operator;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>The README's curl lines, run by bash and curl as a reader would, with only the address filled in.</summary>
public sealed class ReadmeCurlTests(ClusterFixture cluster) : ProvidersTest(cluster)
{
    private const string InClusterAddress = "https://apikey-operator-review.apikey-operator-system.svc:8443";

    // The operator under test serves plain HTTP (--review-insecure-http); trust through the CA bundle is proven by
    // the HTTPS review tests, so only the CA file option is taken out of the reader's line.
    private static readonly (string From, string To) NoCaFile = ("--cacert /etc/apikey-operator-ca/ca.crt ", "");

    [Fact]
    public async Task Token_curl_from_the_README_gets_a_token_for_the_client_credentials()
    {
        var running = await StartProviderOperatorAsync();
        var client = await CreateClientAsync("exporter", ["recordings:read", "recordings:list"]);
        var line = ReadmeSnippet.Fill(ReadmeSnippet.Read("token-curl"), (InClusterAddress, Issuer(running)), NoCaFile);

        var output = await BashAsync(line, ("CLIENT_ID", client.ClientId), ("CLIENT_SECRET", client.ClientSecret));

        var answer = Json(output);
        Assert.Equal(("Bearer", 3600, "recordings:read"), (answer.GetProperty("token_type").GetString(), answer.GetProperty("expires_in").GetInt32(), answer.GetProperty("scope").GetString()));
        var token = new JsonWebToken(answer.GetProperty("access_token").GetString());
        Assert.Equal((client.ClientId, Namespace, "exporter"), (token.Subject, token.GetClaim("namespace").Value, token.GetClaim("apikey").Value));
        Assert.DoesNotContain(client.ClientSecret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_curl_from_the_README_gets_a_verdict()
    {
        var running = await StartProviderOperatorAsync();
        await CreateApiKeyAsync("billing", s => s.Scopes = ["invoices:read"]);
        await WaitForReadyAsync("billing");
        var key = await ReadKeyAsync("billing-key");
        var tokenFile = Path.Combine(Path.GetDirectoryName(LedgerPath)!, "sa-token");
        await File.WriteAllTextAsync(tokenFile, "provider-token", Ct);
        var line = ReadmeSnippet.Fill(
            ReadmeSnippet.Read("review-curl"),
            (InClusterAddress, Issuer(running)),
            NoCaFile,
            ("/var/run/secrets/apikeyoperator.io/token", tokenFile));

        var output = await BashAsync(line, ("KEY", key));

        var status = Json(output).GetProperty("status");
        Assert.Equal(("Valid", "billing"), (status.GetProperty("reason").GetString(), status.GetProperty("apiKey").GetProperty("name").GetString()));
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);
    }

    private static async Task<string> BashAsync(string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"bash exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
