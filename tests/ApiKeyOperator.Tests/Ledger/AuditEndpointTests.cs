using System.Net;
using System.Text.Json;
using ApiKeyOperator.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class AuditEndpointTests : IAsyncLifetime
{
    private readonly LedgerFixture fixture = new();
    private WebApplication? app;
    private HttpClient? client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => client ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        SqliteAuditLedger ledger = fixture.Open();
        for (int i = 0; i < 5; i++)
        {
            Assert.True(await ledger.TryRecordAsync(LedgerFixture.Entry(ns: i % 2 == 0 ? "payments" : "search") with { Message = $"row {i}" }, Ct));
            fixture.Time.Advance(TimeSpan.FromMinutes(10));
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IAuditLedger>(ledger);
        builder.Services.AddSingleton<TimeProvider>(fixture.Time);
        app = builder.Build();
        app.MapAuditEndpoint();
        await app.StartAsync(Ct);
        client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        fixture.Dispose();
    }

    [Fact]
    public async Task Get_ReturnsItemsNewestFirst_WithContinueToken()
    {
        using JsonDocument first = await GetJsonAsync("/audit?limit=2", HttpStatusCode.OK);
        string next = first.RootElement.GetProperty("continue").GetString()!;
        using JsonDocument second = await GetJsonAsync($"/audit?limit=2&continue={Uri.EscapeDataString(next)}", HttpStatusCode.OK);

        Assert.Equal(["row 4", "row 3"], Messages(first));
        Assert.Equal(["row 2", "row 1"], Messages(second));
        JsonElement item = first.RootElement.GetProperty("items")[0];
        Assert.Equal("2026-11-23T12:40:00Z", item.GetProperty("time").GetString());
        Assert.Equal("Issued", item.GetProperty("kind").GetString());
        Assert.Equal("billing-exporter", item.GetProperty("apiKey").GetString());
        Assert.Equal("3f9a1c2e", item.GetProperty("keyId").GetString());
        Assert.Equal("recordings:read", item.GetProperty("scopes")[0].GetString());
        Assert.Equal("kubectl-client-side-apply", item.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Get_FiltersByNamespaceAndSince()
    {
        using JsonDocument payments = await GetJsonAsync("/audit?namespace=payments", HttpStatusCode.OK);
        using JsonDocument recent = await GetJsonAsync("/audit?since=25m", HttpStatusCode.OK);
        using JsonDocument absolute = await GetJsonAsync("/audit?since=2026-11-23T12:30:00Z&apiKey=billing-exporter", HttpStatusCode.OK);

        Assert.Equal(["row 4", "row 2", "row 0"], Messages(payments));
        Assert.Equal(JsonValueKind.Null, payments.RootElement.GetProperty("continue").ValueKind);
        Assert.Equal(["row 4", "row 3"], Messages(recent));
        Assert.Equal(["row 4", "row 3"], Messages(absolute));
    }

    [Theory]
    [InlineData("/audit?limit=0", "limit")]
    [InlineData("/audit?limit=1001", "limit")]
    [InlineData("/audit?limit=ten", "limit")]
    [InlineData("/audit?since=yesterday", "since")]
    [InlineData("/audit?continue=bogus", "continue")]
    [InlineData("/audit?namespace=a&namespace=b", "namespace")]
    public async Task Get_BadParameter_Is400StatusNamingIt(string url, string parameter)
    {
        using JsonDocument status = await GetJsonAsync(url, HttpStatusCode.BadRequest);

        JsonElement root = status.RootElement;
        Assert.Equal("Status", root.GetProperty("kind").GetString());
        Assert.Equal("v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("Failure", root.GetProperty("status").GetString());
        Assert.Equal("BadRequest", root.GetProperty("reason").GetString());
        Assert.Equal(400, root.GetProperty("code").GetInt32());
        Assert.Contains($"\"{parameter}\"", root.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(parameter, root.GetProperty("details").GetProperty("causes")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Handler_UnreadableLedger_Is503Status()
    {
        await File.WriteAllTextAsync(Path.Combine(fixture.Directory, "newer.db"), string.Empty, Ct);
        await SqliteFiles.ExecuteAsync(Path.Combine(fixture.Directory, "newer.db"), "PRAGMA user_version = 99;", Ct);
        SqliteAuditLedger newer = fixture.Open(new LedgerOptions { Path = Path.Combine(fixture.Directory, "newer.db") });

        IResult result = await AuditEndpoint.HandleAsync(new QueryCollection(), newer, fixture.Time, caller: null, Ct);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);

        Assert.Equal(503, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        using JsonDocument status = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: Ct);
        Assert.Equal("ServiceUnavailable", status.RootElement.GetProperty("reason").GetString());
        Assert.Contains("schema version 99", status.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static IEnumerable<string?> Messages(JsonDocument page) =>
        page.RootElement.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("message").GetString());

    private async Task<JsonDocument> GetJsonAsync(string url, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await Client.GetAsync(url, Ct);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(Ct), cancellationToken: Ct);
    }
}
