using System.Text.Json;
using System.Text.Json.Nodes;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ApiKeyOperator.Admission;

/// <summary>
/// HTTP face of the webhook: POST an AdmissionReview to <see cref="WebhookPaths.Mutate"/> or
/// <see cref="WebhookPaths.Validate"/>, get one back. A body that is not a review is a 400 Status.
/// </summary>
public sealed class WebhookHandler(RequesterSigner signer, OperatorUser operatorUser, ValidatingAdmission validating, ILogger<WebhookHandler> logger)
{
    private const int MaxBodyBytes = 3 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value;
        if (path is not (WebhookPaths.Mutate or WebhookPaths.Validate))
        {
            await WriteAsync(context, 404, KubernetesStatus.Failure(404, "NotFound", $"no webhook at {path}"));
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteAsync(context, 405, KubernetesStatus.Failure(405, "MethodNotAllowed", "POST an AdmissionReview"));
            return;
        }

        AdmissionRequest request;
        try
        {
            if (context.Request.ContentLength > MaxBodyBytes)
            {
                throw new FormatException("the body is too large");
            }

            request = AdmissionRequest.Parse(await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            await WriteAsync(context, 400, KubernetesStatus.Failure(400, "BadRequest", e.Message));
            return;
        }

        var decision = path == WebhookPaths.Mutate
            ? RequesterStamping.Decide(request, signer, operatorUser)
            : await validating.DecideAsync(request, context.RequestAborted);
        if (!decision.Allowed)
        {
            logger.LogInformation("Refused {Operation} of {Kind} {Namespace}/{Name} by {User}: {Message}",
                request.Operation, request.Kind, request.Namespace, request.Name, request.User.Username, decision.Message);
        }

        await WriteAsync(context, 200, decision.ToReview(request.Uid));
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
