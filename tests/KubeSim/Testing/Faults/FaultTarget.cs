using System.Text.RegularExpressions;

namespace KubeSim;

/// <summary>
/// Which writes a fault hits: every write of a resource (subresources included), optionally of one API group only,
/// or only writes through one subresource. Parsed from kubectl's spelling — <c>secrets</c>, <c>apikeys.apikeyoperator.io</c>,
/// <c>deployments/status</c> — and refused when it is not one, so a typo fails the test instead of never matching.
/// </summary>
public sealed partial record FaultTarget
{
    private FaultTarget(string plural, string? group, string? subresource)
    {
        Plural = plural;
        Group = group;
        Subresource = subresource;
    }

    /// <summary>The resource's plural name (lower case), e.g. <c>secrets</c>.</summary>
    public string Plural { get; }

    /// <summary>Only this API group ("" is core); null: any group serving the plural.</summary>
    public string? Group { get; }

    /// <summary>Only writes through this subresource (<c>status</c>, <c>scale</c>); null: every write.</summary>
    public string? Subresource { get; }

    /// <summary>Every write of a resource, in any group or only in <paramref name="group"/>.</summary>
    public static FaultTarget Resource(string plural, string? group = null) => new(Checked(plural, nameof(plural)), group is null ? null : CheckedGroup(group), null);

    /// <summary>Only writes through one subresource of a resource.</summary>
    public static FaultTarget SubresourceOf(string plural, string subresource) =>
        new(Checked(plural, nameof(plural)), null, Checked(subresource, nameof(subresource)));

    /// <summary>Parses <c>plural</c>, <c>plural.group</c> or <c>plural/subresource</c>.</summary>
    public static FaultTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            return SubresourceOf(text[..slash], text[(slash + 1)..]);
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? Resource(text) : Resource(text[..dot], text[(dot + 1)..]);
    }

    /// <summary>Lets the string shortcuts (<c>FailNextWrites("secrets", …)</c>) stay; the string is parsed and checked.</summary>
    public static implicit operator FaultTarget(string text) => Parse(text);

    public override string ToString() =>
        Subresource is not null ? $"{Plural}/{Subresource}" : Group is { Length: > 0 } ? $"{Plural}.{Group}" : Plural;

    internal bool Matches(ResourceDefinition definition, string? subresource) =>
        Plural == definition.Plural
        && (Group is null || Group == definition.Id.Group)
        && (Subresource is null || Subresource == subresource);

    private static string Checked(string name, string parameter) =>
        name is not null && SegmentPattern().IsMatch(name)
            ? name
            : throw new ArgumentException($"'{name}' is not a resource name (lower-case plural such as 'secrets', or 'deployments/status')", parameter);

    private static string CheckedGroup(string group) =>
        group.Length == 0 || GroupPattern().IsMatch(group)
            ? group
            : throw new ArgumentException($"'{group}' is not an API group (DNS subdomain such as 'apps' or 'apikeyoperator.io')", nameof(group));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex GroupPattern();
}
