using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Security;

/// <summary>
/// The authenticated caller of a request on a protected listener, set by <see cref="SecureEndpoint"/> for the
/// routes behind it to authorise their own resources (e.g. <c>/audit</c> per namespace). Absent when the listener
/// is deliberately unprotected (<c>--metrics-secure=false</c>).
/// </summary>
public sealed record RequestCaller(CallerIdentity Caller, IRequestAuthorizer Authorizer)
{
    public static RequestCaller? Of(HttpContext context) => context?.Features.Get<RequestCaller>();

    public Task<bool> MayAsync(AccessRequest request, CancellationToken cancellationToken) => Authorizer.IsAllowedAsync(Caller, request, cancellationToken);
}
