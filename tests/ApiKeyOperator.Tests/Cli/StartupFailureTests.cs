using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ApiKeyOperator;
using ApiKeyOperator.Hosting;
using Xunit;

namespace ApiKeyOperator.Tests.Cli;

/// <summary>What stops the operator from starting, as the one line a user needs: which flag, which address or file.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public void A_port_in_use_names_the_flag_and_its_value()
    {
        var options = OperatorCommands.ParseRunOptions(["--metrics-bind-address", ":8080", "--review-bind-address", "127.0.0.1:9443"], OperatorModules.All);

        Assert.Equal(":8080 is already in use (--metrics-bind-address)", StartupFailure.Describe(Bind("http://0.0.0.0:8080", SocketError.AddressAlreadyInUse), options));
        Assert.Equal("127.0.0.1:9443 is already in use (--review-bind-address)", StartupFailure.Describe(Bind("http://127.0.0.1:9443", SocketError.AddressAlreadyInUse), options));
        Assert.Equal(":8081: permission denied (--health-probe-bind-address)", StartupFailure.Describe(Bind("http://0.0.0.0:8081", SocketError.AccessDenied), options));
    }

    [Fact]
    public void An_unreadable_tls_file_or_kubeconfig_is_named()
    {
        var options = OperatorCommands.ParseRunOptions(["--review-tls-cert-file", "/tls/tls.crt", "--review-tls-key-file", "/tls/tls.key"], OperatorModules.All);

        Assert.Equal("--review-tls-cert-file /tls/tls.crt: no such file", StartupFailure.Describe(new FileNotFoundException("Could not find file '/tls/tls.crt'.", "/tls/tls.crt"), options));
        Assert.Equal(
            "cannot load the --review-tls-cert-file /tls/tls.crt, --review-tls-key-file /tls/tls.key: not a PEM",
            StartupFailure.Describe(new AggregateException(new CryptographicException("not a PEM.")), options));
        Assert.Equal("no kubeconfig: set KUBECONFIG or pass --kubeconfig", StartupFailure.Describe(new InvalidOperationException("DI", new KubeconfigException(KubeconfigLoader.NoKubeconfig)), options));
    }

    [Fact]
    public void Anything_else_is_left_to_the_caller()
    {
        Assert.Null(StartupFailure.Describe(new InvalidOperationException("a bug"), new OperatorOptions()));
    }

    // What Kestrel throws: IOException("Failed to bind to address …: address already in use.") around the socket error.
    private static IOException Bind(string url, SocketError error) =>
        new($"Failed to bind to address {url}: address already in use.", new SocketException((int)error));
}
