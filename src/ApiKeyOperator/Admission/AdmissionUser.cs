using System.Text.Json.Nodes;
using ApiKeyOperator.Identity;

namespace ApiKeyOperator.Admission;

/// <summary>The authenticated requester of an admission request (<c>request.userInfo</c>), as the API server saw it.</summary>
public sealed record AdmissionUser(string Username, string? Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public Requester ToRequester() => new(Username, Groups, Uid);

    public static AdmissionUser Read(JsonNode? userInfo) => new(
        (string?)userInfo?["username"] ?? "",
        (string?)userInfo?["uid"] is { Length: > 0 } uid ? uid : null,
        [.. (userInfo?["groups"] as JsonArray ?? []).Select(g => (string?)g).OfType<string>()],
        (userInfo?["extra"] as JsonObject ?? []).ToDictionary(
            e => e.Key,
            e => (IReadOnlyList<string>)[.. (e.Value as JsonArray ?? []).Select(v => (string?)v).OfType<string>()],
            StringComparer.Ordinal));
}
