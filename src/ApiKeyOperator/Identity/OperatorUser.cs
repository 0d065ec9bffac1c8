using System.Text;
using System.Text.Json;

namespace ApiKeyOperator.Identity;

/// <summary>
/// The Kubernetes user the operator's own requests authenticate as (in a cluster, its ServiceAccount
/// <c>system:serviceaccount:NS:NAME</c>): what the webhook sees in <c>userInfo</c> when the operator creates a
/// scheduled rotation, mapped to <see cref="Requester.Operator"/>. From <c>--operator-username</c>, else the
/// <c>sub</c> claim of the ServiceAccount token the operator runs with; null when neither says.
/// </summary>
public sealed record OperatorUser(string? Username)
{
    public const string InClusterTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>True when <paramref name="username"/> is the operator (its mapped name, or the user it runs as).</summary>
    public bool Is(string username) =>
        username == Requester.Operator.Username || (Username is not null && username == Username);

    /// <summary>The username from the flag, else from the in-cluster token file, else null.</summary>
    public static OperatorUser Detect(string? flag, string tokenFile = InClusterTokenFile)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return new(flag.Trim());
        }

        return new(File.Exists(tokenFile) ? SubjectOf(File.ReadAllText(tokenFile).Trim()) : null);
    }

    /// <summary>The <c>sub</c> claim of a ServiceAccount JWT (its own token: read, not verified), or null.</summary>
    public static string? SubjectOf(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return claims.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String
                && sub.GetString() is { } subject && subject.StartsWith("system:serviceaccount:", StringComparison.Ordinal)
                ? subject
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
