using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>The user a request acts as: impersonated, else named by its bearer token.</summary>
internal static class RequestIdentity
{
    public static string? User(HttpContext context)
    {
        if (context.Request.Headers["Impersonate-User"].FirstOrDefault() is { Length: > 0 } impersonated)
        {
            return impersonated;
        }

        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        return authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
    }
}
