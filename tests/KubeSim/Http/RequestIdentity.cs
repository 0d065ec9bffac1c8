using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>The user name a request is logged and authorized as: null for the cluster admin without a token.</summary>
internal static class RequestIdentity
{
    public static string? User(HttpContext context)
    {
        if (context.Request.Headers["Impersonate-User"].FirstOrDefault() is { Length: > 0 } impersonated)
        {
            return impersonated;
        }

        var token = RequestAuthenticator.BearerToken(context);
        return token is null ? null : RequestAuthenticator.Of(context)?.Username ?? token;
    }
}
