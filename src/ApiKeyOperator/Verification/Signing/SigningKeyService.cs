using ApiKeyOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Verification.Signing;

/// <summary>
/// Keeps <see cref="SigningKeyRing"/> in step with the signing Secret on every replica (a GET every
/// <see cref="SigningKeyOptions.RefreshInterval"/>: one small object, so no informer and no cluster-wide Secret
/// cache is needed), and, on the leader only, carries out <see cref="SigningKeyPlanner"/>'s plan with an optimistic
/// write. A Secret it cannot read is reported and never overwritten: the tokens its keys signed would stop verifying.
/// </summary>
public sealed class SigningKeyService(
    SigningKeyOptions options,
    SigningKeyRing ring,
    IResourceClient<V1Secret> secrets,
    Func<bool> isLeader,
    ProviderMetrics metrics,
    TimeProvider time,
    ILogger<SigningKeyService> logger) : BackgroundService
{
    private string? _reportedProblem;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Namespace is null)
        {
            logger.LogWarning(
                "Access tokens are off: the operator's namespace is unknown (no POD_NAMESPACE, not in a cluster); set --token-signing-namespace to issue them");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.RefreshInterval;
            try
            {
                if (await SyncAsync(stoppingToken).ConfigureAwait(false) is { } nextReview)
                {
                    var untilReview = nextReview - time.GetUtcNow().UtcDateTime;
                    wait = untilReview < wait ? untilReview : wait;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Reading or writing the token signing keys in Secret {Namespace}/{Secret} failed: {Error}; retrying",
                    options.Namespace, options.SecretName, e.GetType().Name);
            }

            try
            {
                await Task.Delay(wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One read (and, on the leader, at most one write).</summary>
    /// <returns>When the leader next needs to plan; null when this replica does not plan.</returns>
    public async Task<DateTime?> SyncAsync(CancellationToken cancellationToken)
    {
        var key = new ObjectKey(options.Namespace ?? throw new InvalidOperationException("no signing namespace"), options.SecretName);
        var secret = await secrets.GetAsync(key, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SigningKey> stored = [];
        if (secret is not null && !SigningKeySecret.TryRead(secret, out stored!, out var problem))
        {
            Report(secret, problem);
            return null;
        }

        Load(stored);
        if (!isLeader())
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var plan = SigningKeyPlanner.Plan(stored, now, options.Policy, activeFrom => SigningKeyGenerator.Generate(now, activeFrom));
        if (!plan.Changed)
        {
            return plan.NextReviewAt;
        }

        var desired = SigningKeySecret.Build(key.Namespace!, options.SecretName, plan.Keys, secret);
        try
        {
            _ = secret is null
                ? await secrets.CreateAsync(desired, cancellationToken).ConfigureAwait(false)
                : await secrets.ReplaceAsync(desired, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e) || ApiErrors.IsAlreadyExists(e))
        {
            // Someone wrote in between (a previous leader's last write): read again and plan from that.
            logger.LogDebug("Signing key Secret {Namespace}/{Secret} changed while it was being written; re-reading", options.Namespace, options.SecretName);
            return now;
        }

        var added = plan.Keys.Where(k => !stored.Any(s => s.Kid == k.Kid)).ToList();
        var removed = stored.Where(s => !plan.Keys.Any(k => k.Kid == s.Kid)).ToList();
        foreach (var k in added)
        {
            logger.LogInformation("Published token signing key {Kid}; it signs from {ActiveFrom}", k.Kid, k.ActiveFrom);
        }

        foreach (var k in removed)
        {
            logger.LogInformation("Removed token signing key {Kid}: every token it signed has expired", k.Kid);
        }

        Load(plan.Keys);
        return plan.NextReviewAt;
    }

    private void Load(IReadOnlyList<SigningKey> keys)
    {
        _reportedProblem = null;
        foreach (var kid in ring.Update(keys))
        {
            logger.LogError("Token signing key {Kid} in Secret {Namespace}/{Secret} is not a P-256 private key; it is not used", kid, options.Namespace, options.SecretName);
        }

        metrics.SetSigningKeys(ring.Keys.Length);
    }

    private void Report(V1Secret secret, string problem)
    {
        var stamp = secret.Metadata.ResourceVersion + problem;
        if (_reportedProblem == stamp)
        {
            return;
        }

        _reportedProblem = stamp;
        logger.LogError(
            "Secret {Namespace}/{Secret} does not hold token signing keys this operator can read ({Problem}); it is left as it is and the keys already loaded stay in use. Delete it to start over with a fresh key",
            options.Namespace, options.SecretName, problem);
    }
}
