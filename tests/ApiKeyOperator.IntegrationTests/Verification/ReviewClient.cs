using System.Net.Http.Headers;
using System.Net.Http.Json;
using ApiKeyOperator.Verification;

namespace ApiKeyOperator.IntegrationTests.Verification;

/// <summary>A provider calling the operator's ApiKeyReview endpoint, optionally with its ServiceAccount bearer token.</summary>
public sealed class ReviewClient(Uri reviewUrl, string? bearerToken = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = reviewUrl };

    public static ApiKeyReviewSpec Token(string key, params string[] requiredScopes) =>
        new() { Key = key, RequiredScopes = requiredScopes.Length == 0 ? null : requiredScopes };

    public async Task<ReviewResponse> ReviewAsync(ApiKeyReviewSpec spec, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ReviewRequestHandler.Path)
        {
            Content = JsonContent.Create(new ApiKeyReview { ApiVersion = ApiKeyReview.ApiVersionValue, Kind = ApiKeyReview.KindValue, Spec = spec }),
        };
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        return new ReviewResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public Task<ReviewResponse> ReviewAsync(string key, CancellationToken cancellationToken, params string[] requiredScopes) =>
        ReviewAsync(Token(key, requiredScopes), cancellationToken);

    public void Dispose() => _http.Dispose();
}
