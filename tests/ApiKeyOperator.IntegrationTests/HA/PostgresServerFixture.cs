using TestPostgres;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.HA;

/// <summary>
/// A real PostgreSQL server for one test class. Where none can start, the tests that need it report skipped with the
/// reason (never passed), unless APIKEY_TEST_REQUIRE_POSTGRES is set, as CI sets it after installing the server.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private string? _unavailable;

    public PostgresServer Server
    {
        get
        {
            if (_server is null)
            {
                string reason = _unavailable ?? "not started";
                if (Environment.GetEnvironmentVariable("APIKEY_TEST_REQUIRE_POSTGRES") is { Length: > 0 })
                {
                    Assert.Fail($"PostgreSQL is required here (APIKEY_TEST_REQUIRE_POSTGRES) but: {reason}");
                }

                Assert.Skip(reason);
            }

            return _server!;
        }
    }

    public async ValueTask InitializeAsync() => (_server, _unavailable) = await PostgresServer.TryStartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
