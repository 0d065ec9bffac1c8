using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ApiKeyOperator.Verification.ForwardAuth;

/// <summary>
/// What one gateway route accepts, from the forward-auth request's target, in one of two forms:
/// <list type="bullet">
/// <item>path (for gateways that append the client's path and query, e.g. Envoy's <c>path_prefix</c>):
/// <c>/forward-auth/namespaces=a,b/scopes=x,y/header=X-Api-Key/-/…</c>. Settings are the segments up to the
/// mandatory <c>-</c> segment; everything after it (the client's path and query) is ignored.</item>
/// <item>query (for gateways that send only the configured URI, e.g. NGINX <c>auth_request</c>, Traefik):
/// <c>/forward-auth?namespaces=a,b&amp;scopes=x,y&amp;header=X-Api-Key</c>.</item>
/// </list>
/// <c>namespaces</c> is required (there is no wildcard: a route names its tenants). A repeated or unknown setting
/// makes the route invalid, so a client able to append to the target can only break the route, never widen it.
/// </summary>
public sealed partial record ForwardAuthRoute(IReadOnlyList<string> Namespaces, IReadOnlyList<string> Scopes, string? Header)
{
    public const string Path = "/forward-auth";

    private const int MaxItems = 64;

    public static bool TryParse(string rawTarget, [NotNullWhen(true)] out ForwardAuthRoute? route, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        route = null;
        var queryAt = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? rawTarget : rawTarget[..queryAt];
        if (!path.StartsWith(Path, StringComparison.Ordinal) || (path.Length > Path.Length && path[Path.Length] != '/'))
        {
            problem = $"the forward-auth path is {Path}";
            return false;
        }

        IEnumerable<string> settings;
        if (path.Length > Path.Length)
        {
            // Path form. The query is the client's (a gateway that appends the client's path appends its query too).
            var segments = path[(Path.Length + 1)..].Split('/');
            var end = Array.IndexOf(segments, "-");
            if (end < 0)
            {
                problem = "route settings in the path must end with a '-' segment (e.g. /forward-auth/namespaces=payments/-)";
                return false;
            }

            settings = segments[..end];
        }
        else
        {
            // Query form: only for exactly /forward-auth, so "/forward-auth/" plus a client's "?namespaces=…" cannot pick its own.
            settings = queryAt < 0 ? [] : rawTarget[(queryAt + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? setting : setting[..eq];
            if (name is not ("namespaces" or "scopes" or "header"))
            {
                problem = "route settings are namespaces, scopes and header";
                return false;
            }

            if (!values.TryAdd(name, Unescape(eq < 0 ? "" : setting[(eq + 1)..])))
            {
                problem = $"route setting {name} is given twice";
                return false;
            }
        }

        if (!values.TryGetValue("namespaces", out var namespaceList) || List(namespaceList) is not { Count: > 0 and <= MaxItems } namespaces)
        {
            problem = "the route must name the namespaces whose keys it accepts (namespaces=a,b)";
            return false;
        }

        if (namespaces.FirstOrDefault(n => !NamespaceName().IsMatch(n)) is not null)
        {
            problem = "namespaces must be Kubernetes namespace names";
            return false;
        }

        var scopes = values.TryGetValue("scopes", out var scopeList) ? List(scopeList) : [];
        if (scopes.Count > MaxItems || scopes.Any(s => !ScopeName().IsMatch(s)))
        {
            problem = "scopes must be scope names as in ApiKey spec.scopes";
            return false;
        }

        string? header = null;
        if (values.TryGetValue("header", out var headerName))
        {
            if (!HeaderName().IsMatch(headerName))
            {
                problem = "header must be an HTTP header name";
                return false;
            }

            header = headerName;
        }

        route = new ForwardAuthRoute(namespaces, scopes, header);
        problem = null;
        return true;
    }

    private static List<string> List(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return "\0";
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9:._/*-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopeName();

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderName();
}
