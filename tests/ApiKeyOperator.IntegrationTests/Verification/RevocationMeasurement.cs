using System.Diagnostics;
using ApiKeyOperator.Verification;

namespace ApiKeyOperator.IntegrationTests.Verification;

/// <summary>
/// Revoke → first rejection: one task watches the cluster until the ApiKey's status shows the key Revoked (the
/// same watch event the operator's informer gets), another reviews the key back to back until the endpoint
/// answers Revoked; the difference of the two first moments is the delay the operator adds. Both keep going
/// until both moments are seen.
/// </summary>
public sealed record RevocationMeasurement(TimeSpan RevokeToRejection, bool NeverValidAfterRejection, int Reviews)
{
    public static async Task<RevocationMeasurement> RunAsync(
        Func<Task> revoke,
        Func<CancellationToken, Task> statusShowsRevoked,
        Func<CancellationToken, Task<ReviewReason>> review,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        TimeSpan? revokedAt = null;
        TimeSpan? rejectedAt = null;
        var validAfterRejection = false;
        var reviews = 0;

        var statusLoop = Task.Run(async () =>
        {
            await statusShowsRevoked(deadline.Token);
            revokedAt = clock.Elapsed;
        }, deadline.Token);
        var reviewLoop = Task.Run(async () =>
        {
            // Keeps reviewing a little past the first rejection, to see that the verdict does not flip back.
            while (rejectedAt is null || clock.Elapsed - rejectedAt < TimeSpan.FromMilliseconds(200) || revokedAt is null)
            {
                var reason = await review(deadline.Token);
                var at = clock.Elapsed;
                reviews++;
                if (reason == ReviewReason.Revoked)
                {
                    rejectedAt ??= at;
                }
                else if (rejectedAt is not null)
                {
                    validAfterRejection = true;
                }
            }
        }, deadline.Token);

        await revoke();
        await Task.WhenAll(statusLoop, reviewLoop);
        return new RevocationMeasurement(rejectedAt!.Value - revokedAt!.Value, !validAfterRejection, reviews);
    }
}
