using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ApiKeyOperator.Security;

/// <summary>
/// A meta/v1 Status failure body, as kube-apiserver answers refusals. Built by hand: KubernetesClient's V1Status
/// converter cannot write.
/// </summary>
public static class KubernetesStatus
{
    public static JsonObject Failure(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    public static async Task WriteAsync(HttpContext context, int code, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Failure(code, reason, message).ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>kube-apiserver's 403 wording: <c>User "u" cannot get resource "x" in API group "g" in the namespace "n"</c>.</summary>
    public static Task ForbiddenAsync(HttpContext context, CallerIdentity caller, AccessRequest request) =>
        WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", Forbidden(caller, request));

    public static string Forbidden(CallerIdentity caller, AccessRequest request) =>
        $"forbidden: User \"{caller?.UserName}\" cannot {request?.Verb} {request?.Describe()}";
}
