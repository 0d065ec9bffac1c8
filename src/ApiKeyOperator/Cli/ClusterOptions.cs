using System.CommandLine;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Runtime;
using k8s;

namespace ApiKeyOperator.Cli;

/// <summary>The kubectl-style flags every client subcommand takes: --kubeconfig, --context, -n/--namespace.</summary>
internal sealed class ClusterOptions
{
    private readonly Option<string?> _kubeconfig = new("--kubeconfig") { Description = "Path to a kubeconfig; default $KUBECONFIG, then ~/.kube/config, then in-cluster" };
    private readonly Option<string?> _context = new("--context") { Description = "The kubeconfig context to use" };
    private readonly Option<string?> _namespace = new("--namespace", "-n") { Description = "Namespace of the ApiKey; default the context's namespace" };

    public void AddTo(Command command)
    {
        command.Options.Add(_kubeconfig);
        command.Options.Add(_context);
        command.Options.Add(_namespace);
    }

    /// <summary>Connects as kubectl would; throws <see cref="KubeconfigException"/> when there is nothing to connect with.</summary>
    public ClusterConnection Connect(ParseResult result)
    {
        var config = KubeconfigLoader.Load(result.GetValue(_kubeconfig), result.GetValue(_context));
        var kubernetes = new Kubernetes(config);
        var namespaceName = result.GetValue(_namespace) ?? config.Namespace ?? "default";
        return new ClusterConnection(kubernetes, new ApiTransport(kubernetes), namespaceName);
    }
}
