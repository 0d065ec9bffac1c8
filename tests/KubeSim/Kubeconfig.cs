namespace KubeSim;

/// <summary>Renders a kubeconfig for a KubeSim address (plain HTTP, a dummy token).</summary>
public static class Kubeconfig
{
    /// <summary>The kubeconfig YAML with cluster, user and context named "kubesim".</summary>
    public static string Render(Uri url) =>
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
            token: kubesim
        contexts:
        - name: kubesim
          context:
            cluster: kubesim
            user: kubesim
            namespace: default
        current-context: kubesim

        """;
}
