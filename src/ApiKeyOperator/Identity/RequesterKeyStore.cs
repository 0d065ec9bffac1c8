using System.Security.Cryptography;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using ApiKeyOperator.Security;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Identity;

/// <summary>
/// Loads the <see cref="RequesterKey"/> from the Secret <see cref="SecretName"/> in the operator's own namespace,
/// creating it with 32 random bytes when absent (replicas racing to create it all end up reading the winner's).
/// Start-up waits for it: controllers must not write audit rows they cannot attribute.
/// </summary>
public sealed class RequesterKeyStore(
    IResourceClient<V1Secret> secrets,
    OperatorOptions options,
    RequesterKey key,
    TimeProvider time,
    ILogger<RequesterKeyStore> logger) : IHostedService
{
    public const string SecretName = "apikey-operator-requester-key";
    public const string DataKey = "hmac.key";

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var secretKey = new ObjectKey(SecurityModule.OwnNamespace(options), SecretName);
        while (!key.IsLoaded)
        {
            try
            {
                key.Set(await LoadOrCreateAsync(secretKey, cancellationToken).ConfigureAwait(false));
                logger.LogInformation("Requester records are signed with the key in Secret {Secret}", secretKey);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("The requester key in Secret {Secret} could not be loaded: {Error}", secretKey, e.Message);
                await Task.Delay(Retry, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<byte[]> LoadOrCreateAsync(ObjectKey secretKey, CancellationToken cancellationToken)
    {
        if (await secrets.GetAsync(secretKey, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.Data?.TryGetValue(DataKey, out var bytes) == true && bytes.Length >= 32
                ? bytes
                : throw new InvalidOperationException($"Secret {secretKey} has no '{DataKey}' of at least 32 bytes");
        }

        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = secretKey.Name,
                NamespaceProperty = secretKey.Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "apikey-operator" },
            },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]> { [DataKey] = RandomNumberGenerator.GetBytes(32) },
        };
        try
        {
            return (await secrets.CreateAsync(secret, cancellationToken).ConfigureAwait(false)).Data![DataKey];
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            // Another replica created it first: use theirs.
            return await LoadOrCreateAsync(secretKey, cancellationToken).ConfigureAwait(false);
        }
    }
}
