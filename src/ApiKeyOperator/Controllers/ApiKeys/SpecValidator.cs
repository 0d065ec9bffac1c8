using System.Text.RegularExpressions;
using ApiKeyOperator.Api;
using ApiKeyOperator.Keys;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// Checks the CRD schema cannot make (or that a server without schema validation would let through): each
/// problem names its field, so a Stalled condition tells the user what to fix.
/// </summary>
public static partial class SpecValidator
{
    public static readonly TimeSpan MinimumValidity = TimeSpan.FromMinutes(1);

    /// <summary>The problems of <paramref name="spec"/> given the current key, or an empty list.</summary>
    public static IReadOnlyList<string> Validate(ApiKeySpec spec, KeyRecord? current, DateTime now)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(spec.SecretName))
        {
            problems.Add("spec.secretName is required");
        }
        else if (spec.SecretName.Length > 253 || !Dns1123Subdomain().IsMatch(spec.SecretName))
        {
            problems.Add($"spec.secretName \"{spec.SecretName}\" is not a valid Secret name (DNS-1123 subdomain)");
        }

        if (spec.Format is not (KeyFormats.Token or KeyFormats.ClientCredentials))
        {
            problems.Add($"spec.format \"{spec.Format}\" is not one of Token, ClientCredentials");
        }

        if (!TokenFormat.IsValidPrefix(spec.Prefix))
        {
            problems.Add($"spec.prefix \"{spec.Prefix}\" must be 1-{TokenFormat.MaxPrefixLength} characters of [a-z0-9_] ending in '_'");
        }

        // Nulls the schema would have defaulted can still arrive from a server that does not default.
        if (spec.Validity is null)
        {
            problems.Add("spec.validity is required");
        }

        var validity = Duration(problems, "spec.validity", spec.Validity);
        if (validity is { } v && v < MinimumValidity)
        {
            problems.Add($"spec.validity \"{spec.Validity}\" is shorter than the minimum of {GoDuration.Format(MinimumValidity)}");
        }

        var grace = Duration(problems, "spec.rotation.gracePeriod", spec.Rotation?.GracePeriod);
        if (Duration(problems, "spec.rotation.trafficTimeout", spec.Rotation?.TrafficTimeout) == TimeSpan.Zero)
        {
            // Every rotation that requires traffic would fail at once: refused here, not discovered at rotation time.
            problems.Add("spec.rotation.trafficTimeout must be greater than 0s");
        }

        if (Duration(problems, "spec.rotation.leftoverKeyLifetime", spec.Rotation?.LeftoverKeyLifetime) == TimeSpan.Zero)
        {
            problems.Add("spec.rotation.leftoverKeyLifetime must be greater than 0s");
        }
        if (Duration(problems, "spec.rollout.timeout", spec.Rollout?.Timeout) == TimeSpan.Zero)
        {
            problems.Add("spec.rollout.timeout must be greater than 0s");
        }

        var every = Duration(problems, "spec.rotation.every", spec.Rotation?.Every);
        if (every is { } interval && interval < MinimumValidity)
        {
            problems.Add($"spec.rotation.every \"{spec.Rotation!.Every}\" is shorter than the minimum of {GoDuration.Format(MinimumValidity)}");
        }
        else if (every is not null && validity is { } keyLifetime && spec.ExpiresAt is null && problems.Count == 0)
        {
            // A scheduled rotation must be able to finish within a key's life, or the schedule is due again at once.
            var needed = RotationSchedule.RolloutAllowance(spec) + (grace ?? TimeSpan.FromHours(1));
            if (keyLifetime < needed)
            {
                var parts = spec.Rotation?.RequireTraffic == true ? "spec.rollout.timeout + spec.rotation.trafficTimeout + spec.rotation.gracePeriod" : "spec.rollout.timeout + spec.rotation.gracePeriod";
                problems.Add($"spec.validity \"{spec.Validity}\" is shorter than the time a scheduled rotation (spec.rotation.every) needs: {parts} = {GoDuration.Format(needed)}");
            }
        }

        if (spec.TokenLifetimeSeconds is { } tokenLifetime
            and (< Verification.Tokens.TokenOptions.MinLifetimeSeconds or > Verification.Tokens.TokenOptions.MaxLifetimeSeconds))
        {
            problems.Add($"spec.tokenLifetimeSeconds {tokenLifetime} is outside {Verification.Tokens.TokenOptions.MinLifetimeSeconds}..{Verification.Tokens.TokenOptions.MaxLifetimeSeconds} (one minute to the 24h ceiling)");
        }

        // A past expiry is only a mistake when it would be newly applied: once applied, time passing it is expiry.
        var applied = Time.Utc(current?.ExpiresAt);
        if (spec.ExpiresAt is { } expiresAt)
        {
            if (Time.Utc(expiresAt) <= now && Time.Utc(expiresAt) != applied)
            {
                problems.Add($"spec.expiresAt {ApiKeySecret.FormatTime(expiresAt)} is in the past");
            }
        }
        else if (validity is { } lifetime && lifetime >= MinimumValidity && current is { State: KeyStates.Active, CreatedAt: { } createdAt })
        {
            var expiry = Time.Utc(createdAt) + lifetime;
            if (expiry != applied && expiry <= now)
            {
                problems.Add($"spec.validity \"{spec.Validity}\" would move the expiry of key {current.Id} to {ApiKeySecret.FormatTime(expiry)}, which is in the past");
            }
        }

        return problems;
    }

    private static TimeSpan? Duration(List<string> problems, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!GoDuration.TryParse(text, out var value, out var error))
        {
            problems.Add($"{field}: {error}");
            return null;
        }

        if (value < TimeSpan.Zero)
        {
            problems.Add($"{field} \"{text}\" is negative");
            return null;
        }

        return value;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
