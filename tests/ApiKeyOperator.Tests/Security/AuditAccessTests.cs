using System.Text.Json;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Security;
using ApiKeyOperator.Tests.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace ApiKeyOperator.Tests.Security;

/// <summary>/audit shows a caller the rows of the namespaces where it may get audits.apikeyoperator.io, and refuses the rest.</summary>
public sealed class AuditAccessTests : IDisposable
{
    private readonly LedgerFixture _fixture = new();
    private readonly FakeRequestAuthorizer _authorizer = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_tenant_sees_only_its_namespaces_rows()
    {
        var ledger = await LedgerWithRowsInAsync("payments", "search", "shop", "payments");
        var tenant = Caller("payments-admin", AuditAccess.In("payments"), AuditAccess.In("shop"));

        var (code, body) = await GetAsync(ledger, tenant);

        Assert.Equal(200, code);
        Assert.Equal(["payments", "shop", "payments"], Namespaces(body));
    }

    [Fact]
    public async Task A_cluster_wide_grant_sees_every_row_without_asking_per_namespace()
    {
        var ledger = await LedgerWithRowsInAsync("payments", "search");
        var auditor = Caller("auditor", AuditAccess.In(null));

        var (code, body) = await GetAsync(ledger, auditor);

        Assert.Equal(200, code);
        Assert.Equal(["payments", "search"], Namespaces(body));
        Assert.Equal([AuditAccess.In(null)], _authorizer.AccessRequests);
    }

    [Fact]
    public async Task A_namespace_the_caller_may_not_read_is_403_not_an_empty_page()
    {
        var ledger = await LedgerWithRowsInAsync("payments", "search");
        var tenant = Caller("search-admin", AuditAccess.In("search"));

        var (code, body) = await GetAsync(ledger, tenant, "payments");

        Assert.Equal(403, code);
        Assert.Equal("Forbidden", body.RootElement.GetProperty("reason").GetString());
        Assert.Contains("User \"search-admin\" cannot get resource \"audits\" in API group \"apikeyoperator.io\" in the namespace \"payments\"",
            body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(body.RootElement.TryGetProperty("items", out _));
    }

    [Fact]
    public async Task A_caller_allowed_nowhere_is_403()
    {
        var ledger = await LedgerWithRowsInAsync("payments", "search");
        var stranger = Caller("stranger");

        var (code, body) = await GetAsync(ledger, stranger);

        Assert.Equal(403, code);
        Assert.Contains("in any namespace that has audit rows", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_access_check_is_503_and_shows_nothing()
    {
        var ledger = await LedgerWithRowsInAsync("payments");
        var tenant = Caller("payments-admin", AuditAccess.In("payments"));
        _authorizer.Failure = new HttpRequestException("connection refused");

        var (code, body) = await GetAsync(ledger, tenant);

        Assert.Equal(503, code);
        Assert.False(body.RootElement.TryGetProperty("items", out _));
    }

    private RequestCaller Caller(string user, params AccessRequest[] grants)
    {
        var caller = _authorizer.AddUser($"{user}-token", user);
        foreach (var grant in grants)
        {
            _authorizer.Grant(user, grant);
        }

        return new RequestCaller(caller, _authorizer);
    }

    private async Task<SqliteAuditLedger> LedgerWithRowsInAsync(params string[] namespaces)
    {
        var ledger = _fixture.Open();
        foreach (var ns in namespaces)
        {
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(ns: ns), _ct));
            _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        }

        return ledger;
    }

    private async Task<(int Code, JsonDocument Body)> GetAsync(IAuditLedger ledger, RequestCaller caller, string? ns = null)
    {
        var query = new QueryCollection(ns is null ? [] : new Dictionary<string, StringValues> { ["namespace"] = ns });
        var result = await AuditEndpoint.HandleAsync(query, ledger, _fixture.Time, caller, _ct);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: _ct));
    }

    private static List<string?> Namespaces(JsonDocument page) =>
        [.. page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("namespace").GetString()).Reverse()];
}
