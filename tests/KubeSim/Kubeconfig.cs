namespace KubeSim;

/// <summary>Renders a kubeconfig for a KubeSim address (plain HTTP; the bearer token names the user).</summary>
internal static class Kubeconfig
{
    /// <summary>The kubeconfig YAML with cluster, user and context named "kubesim"; the token is the user name.</summary>
    public static string Render(Uri url, string user = "kubesim") =>
        $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubesim
          cluster:
            server: {url.ToString().TrimEnd('/')}
        users:
        - name: kubesim
          user:
            token: "{user}"
        contexts:
        - name: kubesim
          context:
            cluster: kubesim
            user: kubesim
            namespace: default
        current-context: kubesim

        """;
}
