using k8s.Autorest;

namespace ApiKeyOperator.Cli;

/// <summary>Every CLI failure is one readable line on stderr and a non-zero exit code, never a stack trace.</summary>
internal static class CliErrors
{
    public static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return 1;
    }

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (HttpOperationException e)
        {
            return Fail(error, ApiMessage(e));
        }
        catch (HttpRequestException e)
        {
            return Fail(error, $"cannot reach the Kubernetes API: {e.Message}");
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            return Fail(error, $"kubeconfig: {e.Message}");
        }
    }

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
}
