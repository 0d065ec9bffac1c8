using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Verification;

/// <summary>
/// A further endpoint on the review listener (token endpoint, discovery, forward-auth), registered in DI by its
/// module. <paramref name="MatchPrefix"/>: also serves <c>{Path}/…</c>.
/// </summary>
public sealed record ReviewRoute(string Path, RequestDelegate Handler, bool MatchPrefix = false)
{
    public bool Matches(PathString path) =>
        path.Value is { } value
        && (string.Equals(value, Path, StringComparison.Ordinal)
            || (MatchPrefix && value.Length > Path.Length && value[Path.Length] == '/' && value.StartsWith(Path, StringComparison.Ordinal)));
}
