using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using ApiKeyOperator.Verification;
using KubeSim;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// <c>token-flood [--tokens N=2000] [--workers W=16] [--qps Q=20] [--burst B=100]</c>: one operator serves ApiKeyReview
/// with caller checks on; W workers send N requests, each with a different made-up bearer token, as fast as they
/// can. Reports how many TokenReviews reached the API server (KubeSim's request log) against the time taken, and
/// the answers (401 reviewed and unknown, 429 over the budget). <c>--qps</c>/<c>--burst</c> set the operator's
/// TokenReview budget; a huge budget (e.g. 1000000) shows what an unbounded endpoint would cost. Its floor is a
/// ceiling: the TokenReviews the budget allows in the time the flood took (burst + qps × seconds); ratio ≤ 1 holds.
/// </summary>
public sealed class TokenFloodBenchmark : IBenchmark
{
    private const string Body = """{"apiVersion":"apikeyoperator.io/v1alpha1","kind":"ApiKeyReview","spec":{"key":"ak_x"}}""";

    public string Name => "token-flood";

    public async Task RunAsync(string[] args)
    {
        var flags = new BenchmarkArgs(args, "--tokens", "--workers", "--qps", "--burst");
        var tokens = flags.Int("--tokens", 2000);
        var workers = flags.Int("--workers", 16);
        var qps = flags.Int("--qps", 20);
        var burst = flags.Int("--burst", 100);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = cancel.Token;

        await using var cluster = await BenchCluster.StartAsync(new KubeSimOptions { RunControllers = false }, ct);
        var operatorArgs = cluster.OperatorArgs(
            "--review-insecure-http", "--token-review-qps", qps.ToString(CultureInfo.InvariantCulture), "--token-review-burst", burst.ToString(CultureInfo.InvariantCulture));
        operatorArgs[Array.IndexOf(operatorArgs, "--review-bind-address") + 1] = "127.0.0.1:0";
        await using var host = await cluster.StartOperatorAsync(operatorArgs, ct);
        var reviewUrl = new Uri(((VerificationService)host.Services.GetService(typeof(VerificationService))!).Server!.Addresses[0], ReviewServer.Path);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        // Until the ApiKeys are listed every review is 503; the flood starts once a tokenless one is refused 401.
        while (true)
        {
            using var probe = await http.PostAsync(reviewUrl, new StringContent(Body, Encoding.UTF8, "application/json"), ct);
            if (probe.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                break;
            }

            await Task.Delay(50, ct);
        }

        cluster.Sim.Requests.Reset();

        var codes = new int[tokens];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, tokens, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, async (i, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, reviewUrl) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"bogus-{i}-{Guid.NewGuid():N}");
            using var response = await http.SendAsync(request, token);
            codes[i] = (int)response.StatusCode;
        });
        var elapsed = clock.Elapsed;
        var reviews = cluster.Sim.Requests.Count("create", "tokenreviews");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"token-flood: {tokens} made-up bearer tokens from {workers} workers in {elapsed.TotalSeconds:F2} s; budget {qps}/s, burst {burst}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  TokenReviews sent to the API server: {reviews} ({reviews / elapsed.TotalSeconds:F0}/s); budget allows {burst + (qps * elapsed.TotalSeconds):F0}"));
        Console.WriteLine("  answers: " + string.Join(", ", codes.GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));
        var allowed = burst + (qps * elapsed.TotalSeconds);
        new BenchmarkResult(
            Name,
            reviews,
            "tokenreviews",
            Math.Round(allowed, 1),
            Math.Round(reviews / allowed, 3),
            new Dictionary<string, object>
            {
                ["tokens"] = tokens,
                ["workers"] = workers,
                ["qps"] = qps,
                ["burst"] = burst,
                ["seconds"] = Math.Round(elapsed.TotalSeconds, 3),
                ["throttled_429"] = codes.Count(c => c == 429),
                ["cores"] = Environment.ProcessorCount,
            }).Print();
    }
}
