namespace ApiKeyOperator.Security;

/// <summary>Who called one of the operator's endpoints, as the API server's TokenReview reported it. Never the token.</summary>
public sealed record CallerIdentity(
    string UserName,
    string? Uid,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    /// <summary>A stable text form of every field, for keying cached authorisation decisions.</summary>
    public string CanonicalForm()
    {
        var extra = Extra.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + string.Join(',', e.Value));
        return string.Join('\n', UserName, Uid ?? "", string.Join(',', Groups.Order(StringComparer.Ordinal)), string.Join(';', extra));
    }
}
