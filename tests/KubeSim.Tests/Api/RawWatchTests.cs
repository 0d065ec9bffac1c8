using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace KubeSim.Tests.Api;

/// <summary>Watch wire details that typed clients hide: Table watches (kubectl get -w) and sendInitialEvents.</summary>
public sealed class RawWatchTests : SimTestBase
{
    private async Task<List<JsonNode>> ReadEventsAsync(string path, int count, string? accept = null)
    {
        using var http = new HttpClient { BaseAddress = Sim.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("chunked", response.Headers.TransferEncoding.ToString());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<JsonNode>();
        while (events.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            events.Add(JsonNode.Parse(line)!);
        }

        return events;
    }

    [Fact]
    public async Task A_table_watch_sends_one_row_per_event_with_columns_on_the_first()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("b"), ns, cancellationToken: Ct);

        var events = await ReadEventsAsync($"api/v1/namespaces/{ns}/secrets?watch=true", 2, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.All(events, e => Assert.Equal("Table", e["object"]!["kind"]!.GetValue<string>()));
        Assert.Equal(4, events[0]["object"]!["columnDefinitions"]!.AsArray().Count);
        Assert.Empty(events[1]["object"]!["columnDefinitions"]!.AsArray());
        Assert.Equal("b", events[1]["object"]!["rows"]![0]!["cells"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task SendInitialEvents_ends_the_initial_state_with_an_annotated_bookmark()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("a"), ns, cancellationToken: Ct);

        var events = await ReadEventsAsync($"api/v1/namespaces/{ns}/secrets?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan", 2);

        Assert.Equal(["ADDED", "BOOKMARK"], events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal("true", events[1]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_watch_event_is_one_json_line_with_type_and_object()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns, cancellationToken: Ct);

        var events = await ReadEventsAsync($"api/v1/watch/namespaces/{ns}/configmaps", 1);

        Assert.Equal("ADDED", events[0]["type"]!.GetValue<string>());
        Assert.Equal("ConfigMap", events[0]["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("v1", events[0]["object"]!["apiVersion"]!.GetValue<string>());
    }
}
