using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Security;

/// <summary>The bearer token of a request's <c>Authorization</c> header.</summary>
public static class BearerToken
{
    /// <summary>The token, or null when there is no <c>Bearer</c> credential.</summary>
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
