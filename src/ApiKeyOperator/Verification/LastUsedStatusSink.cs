using ApiKeyOperator.Api;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Runtime;
using k8s;

namespace ApiKeyOperator.Verification;

/// <summary>
/// Writes batched last-used times into <c>status.keys[].lastUsedAt</c> (and <c>status.lastUsedAt</c> for the
/// current key). Times only move forward, so replicas writing concurrently converge. Any replica may write
/// here: each sees only the verifications it served, and the rotation's traffic gate reads the merged result.
/// </summary>
public sealed class LastUsedStatusSink(IResourceClient<ApiKey> apiKeys, IStatusWriter status) : ILastUsedStatusSink
{
    public async Task<bool> WriteAsync(LastUsedWrite write, CancellationToken cancellationToken)
    {
        var apiKey = await apiKeys.GetAsync(new ObjectKey(write.Namespace, write.ApiKey), cancellationToken).ConfigureAwait(false);
        if (apiKey is null)
        {
            return true;
        }

        await status.UpdateAsync(apiKey, k => Apply(k, write.LastUsedAt), cancellationToken).ConfigureAwait(false);
        return true;
    }

    internal static bool Apply(ApiKey apiKey, IReadOnlyDictionary<string, DateTime> lastUsed)
    {
        var changed = false;
        foreach (var key in apiKey.Status?.Keys ?? [])
        {
            if (lastUsed.TryGetValue(key.Id, out var at))
            {
                // Whole seconds, as every other timestamp in status.
                var seconds = new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
                if (key.LastUsedAt is null || seconds > key.LastUsedAt)
                {
                    key.LastUsedAt = seconds;
                    changed = true;
                }
            }
        }

        var current = apiKey.Status?.Keys?.FirstOrDefault(k => k.Id == apiKey.Status.CurrentKeyId)?.LastUsedAt;
        if (current is not null && apiKey.Status!.LastUsedAt != current)
        {
            apiKey.Status.LastUsedAt = current;
            changed = true;
        }

        return changed;
    }
}
