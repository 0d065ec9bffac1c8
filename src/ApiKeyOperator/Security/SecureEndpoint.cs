using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using ApiKeyOperator.Certificates;
using ApiKeyOperator.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Security;

/// <summary>
/// controller-runtime's secure metrics for the metrics listener: TLS with the operator's serving certificate,
/// every request authenticated (TokenReview of its bearer token, 401 without one), <c>/metrics</c> authorised as
/// <c>get</c> on the non-resource URL <c>/metrics</c> (SubjectAccessReview), other routes handed the caller to
/// authorise their own resources (see <see cref="RequestCaller"/>).
/// </summary>
public sealed class SecureEndpoint(IRequestAuthorizer authorizer, IServingCertificate certificate, ILogger<SecureEndpoint> logger) : IListenerProtection
{
    public const string MetricsPath = "/metrics";

    public X509Certificate2? CurrentCertificate => certificate.Current;

    public RequestDelegate Protect(RequestDelegate inner) => async context =>
    {
        var cancellationToken = context.RequestAborted;
        var token = BearerToken.Read(context.Request);
        CallerIdentity? caller;
        try
        {
            caller = token is null ? null : await authorizer.AuthenticateAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (TokenReviewThrottledException e)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await KubernetesStatus.WriteAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests", "too many requests with unknown bearer tokens; retry later").ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await UnavailableAsync(context, "TokenReview", e).ConfigureAwait(false);
            return;
        }

        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await KubernetesStatus.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized").ConfigureAwait(false);
            return;
        }

        var requestCaller = new RequestCaller(caller, authorizer);
        if (context.Request.Path == MetricsPath)
        {
            var access = AccessRequest.OnPath("get", MetricsPath);
            bool allowed;
            try
            {
                allowed = await requestCaller.MayAsync(access, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                await UnavailableAsync(context, "SubjectAccessReview", e).ConfigureAwait(false);
                return;
            }

            if (!allowed)
            {
                logger.LogInformation("Caller {User} may not get {Path}", caller.UserName, MetricsPath);
                await KubernetesStatus.ForbiddenAsync(context, caller, access).ConfigureAwait(false);
                return;
            }
        }

        context.Features.Set(requestCaller);
        await inner(context).ConfigureAwait(false);
    };

    private Task UnavailableAsync(HttpContext context, string call, Exception e)
    {
        // Only the type: a client exception may carry the response body, and a TokenReview echoes the token.
        logger.LogError("{Call} for a caller of {Path} failed: {ErrorType}", call, context.Request.Path.Value, e.GetType().Name);
        return KubernetesStatus.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", $"the caller could not be checked: {call} failed");
    }
}
