using System.Net;
using System.Net.Sockets;
using ApiKeyOperator.Hosting;
using k8s.Autorest;

namespace ApiKeyOperator.Cli;

/// <summary>
/// Every CLI failure is one readable line on stderr and an exit code from <see cref="ExitCodes"/>, never a stack
/// trace.
/// </summary>
internal static class CliErrors
{
    public static int Fail(TextWriter error, string message, int exitCode = ExitCodes.Failed)
    {
        error.WriteLine($"error: {message}");
        return exitCode;
    }

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (Describe(e) is { } failure)
        {
            return Fail(error, failure.Message, failure.ExitCode);
        }
    }

    /// <summary>The line and exit code for a failure talking to the cluster, or null for anything else (a bug).</summary>
    public static CliException? Describe(Exception e) => e switch
    {
        CliException cli => cli,
        KubeconfigException config => new CliException(ExitCodes.Unreachable, config.Message),
        HttpOperationException http => new CliException(CodeOf(http.Response.StatusCode), ApiMessage(http)),
        HttpRequestException request => new CliException(ExitCodes.Unreachable, $"cannot reach the Kubernetes API: {Reason(request)}"),
        SocketException socket => new CliException(ExitCodes.Unreachable, $"cannot reach the Kubernetes API: {socket.Message}"),
        TaskCanceledException { InnerException: TimeoutException } => new CliException(ExitCodes.Unreachable, "the Kubernetes API did not answer in time"),
        _ => null,
    };

    private static int CodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Forbidden,
        _ => ExitCodes.Failed,
    };

    // The API server's Status message says what was wrong ("apikeyrotations ... is forbidden: ..."); prefer it.
    private static string ApiMessage(HttpOperationException e)
    {
        try
        {
            var status = k8s.KubernetesJson.Deserialize<k8s.Models.V1Status>(e.Response.Content);
            if (!string.IsNullOrWhiteSpace(status?.Message))
            {
                return status.Message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status body: fall back to the HTTP status below.
        }

        return $"the API server answered {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}";
    }

    // "Connection refused (host:port)" says it all; a TLS failure says "see inner exception", so take the inner one.
    private static string Reason(HttpRequestException e) =>
        e.InnerException is System.Security.Authentication.AuthenticationException tls ? $"TLS: {tls.Message}" : e.Message;
}
