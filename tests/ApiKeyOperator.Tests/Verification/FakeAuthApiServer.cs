using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeyOperator.Tests.Verification;

/// <summary>
/// Just enough of an API server for <c>KubernetesReviewAuthorizer</c>: tokenreviews and subjectaccessreviews
/// over real HTTP, answering from a token table and a grant table, and keeping the request bodies.
/// </summary>
internal sealed class FakeAuthApiServer : IAsyncDisposable
{
    private WebApplication? _app;

    public ConcurrentDictionary<string, JsonObject> Users { get; } = new();

    public ConcurrentDictionary<(string User, string Namespace), bool> Grants { get; } = new();

    public ConcurrentQueue<JsonNode> AccessReviewRequests { get; } = new();

    public ConcurrentQueue<JsonNode> TokenReviewRequests { get; } = new();

    /// <summary>The audiences each token was issued for (a token absent here is valid for every audience asked).</summary>
    public ConcurrentDictionary<string, string[]> TokenAudiences { get; } = new();

    /// <summary>Answer like an API server that ignores spec.audiences (older or misconfigured): no status.audiences.</summary>
    public bool IgnoresAudiences { get; set; }

    public Uri Address => new(_app!.Urls.First());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var status = new JsonObject();
        switch (context.Request.Path.Value)
        {
            case "/apis/authentication.k8s.io/v1/tokenreviews":
                TokenReviewRequests.Enqueue(request!.DeepClone());
                var token = request["spec"]!["token"]!.GetValue<string>();
                var asked = (request["spec"]!["audiences"] as JsonArray ?? []).Select(a => a!.GetValue<string>()).ToList();
                var valid = TokenAudiences.TryGetValue(token, out var issuedFor) ? asked.Intersect(issuedFor).ToList() : asked;
                var known = Users.TryGetValue(token, out var user) && (asked.Count == 0 || valid.Count > 0 || IgnoresAudiences);
                status["authenticated"] = known;
                if (known)
                {
                    status["user"] = user!.DeepClone();
                    if (!IgnoresAudiences)
                    {
                        status["audiences"] = new JsonArray([.. valid.Select(a => (JsonNode)JsonValue.Create(a))]);
                    }
                }

                break;
            case "/apis/authorization.k8s.io/v1/subjectaccessreviews":
                AccessReviewRequests.Enqueue(request!.DeepClone());
                var spec = request["spec"]!;
                var key = (spec["user"]!.GetValue<string>(), spec["resourceAttributes"]?["namespace"]?.GetValue<string>() ?? spec["nonResourceAttributes"]!["path"]!.GetValue<string>());
                status["allowed"] = Grants.ContainsKey(key);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }

        request["status"] = status;
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(request.ToJsonString(JsonSerializerOptions.Default), context.RequestAborted);
    }
}
