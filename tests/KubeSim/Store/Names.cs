using System.Text.RegularExpressions;

namespace KubeSim;

/// <summary>Object name rules and generateName, as kube-apiserver applies them.</summary>
internal static partial class Names
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The kube-apiserver message for an invalid name, or null when the name is valid.</summary>
    public static string? Problem(string name, bool label)
    {
        if (label)
        {
            return name.Length <= 63 && Label().IsMatch(name)
                ? null
                : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
        }

        return name.Length <= 253 && Subdomain().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }

    /// <summary>
    /// The name rule of a kind, as its registry strategy picks it: DNS-1123 labels for namespaces, DNS-1035 labels
    /// for services, path segments for RBAC objects, DNS-1123 subdomains for everything else.
    /// </summary>
    public static string? Problem(ResourceDefinition definition, string name)
    {
        if (definition.Group.Length == 0 && definition.Plural == "services")
        {
            return name.Length <= 63 && Dns1035().IsMatch(name)
                ? null
                : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
        }

        if (definition.Group == "rbac.authorization.k8s.io")
        {
            return name is "." or ".." ? $"may not be '{name}'"
                : name.Contains('/', StringComparison.Ordinal) ? "may not contain '/'"
                : name.Contains('%', StringComparison.Ordinal) ? "may not contain '%'"
                : null;
        }

        return Problem(name, definition.Group.Length == 0 && definition.Plural == "namespaces");
    }

    /// <summary>generateName plus five random characters from the API server's alphabet.</summary>
    public static string Generate(string prefix)
    {
        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = SuffixAlphabet[Random.Shared.Next(SuffixAlphabet.Length)];
        }

        return prefix + new string(suffix);
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
