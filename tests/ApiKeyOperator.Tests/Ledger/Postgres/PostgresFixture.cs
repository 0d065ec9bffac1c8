using TestPostgres;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger.Postgres;

/// <summary>
/// One real PostgreSQL server for the tests of <see cref="PostgresCollection"/>. When none can start here its tests
/// report skipped with the reason — never passed — unless APIKEY_TEST_REQUIRE_POSTGRES is set (CI sets it after
/// installing the server), which turns that into a failure.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private string? _unavailable;

    /// <summary>The running server; skips the calling test when there is none.</summary>
    public PostgresServer Server => _server ?? throw Unavailable(_unavailable ?? "not started");

    /// <summary>A private server the caller may stop and start (an outage); skips when none can start.</summary>
    public static async Task<PostgresServer> StartPrivateAsync(CancellationToken cancellationToken)
    {
        var (server, unavailable) = await PostgresServer.TryStartAsync(cancellationToken);
        return server ?? throw Unavailable(unavailable!);
    }

    public async ValueTask InitializeAsync() => (_server, _unavailable) = await PostgresServer.TryStartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static Exception Unavailable(string reason)
    {
        if (Environment.GetEnvironmentVariable("APIKEY_TEST_REQUIRE_POSTGRES") is { Length: > 0 })
        {
            Assert.Fail($"PostgreSQL is required here (APIKEY_TEST_REQUIRE_POSTGRES) but: {reason}");
        }

        Assert.Skip(reason);
        return new InvalidOperationException(reason);
    }
}
