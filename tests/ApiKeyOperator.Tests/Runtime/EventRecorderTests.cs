using ApiKeyOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Runtime;

public sealed class EventRecorderTests
{
    private static readonly V1ConfigMap Subject = new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "subject", NamespaceProperty = "ns", Uid = "u-1", ResourceVersion = "7" },
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 500, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recording_returns_at_once_while_the_API_server_hangs()
    {
        var sink = new GatedSink();
        var metrics = new OperatorMetrics();
        var recorder = NewRecorder(sink, capacity: 8, metrics);

        var normal = recorder.NormalAsync(Subject, "Issued", "Issued key 1", Ct);
        var warning = recorder.WarningAsync(Subject, "SecretConflict", "Secret s is owned by someone else", Ct);

        // The write is stuck in the sink, yet the reconcile's calls are already complete.
        Assert.True(normal.IsCompletedSuccessfully);
        Assert.True(warning.IsCompletedSuccessfully);
        await sink.Started.WaitAsync(Poll.Deadline, Ct);
        Assert.Empty(sink.Written);

        sink.Open();
        await recorder.FlushAsync(TimeSpan.FromSeconds(5)).WaitAsync(Poll.Deadline, Ct);
        Assert.Equal(["Normal Issued Issued key 1", "Warning SecretConflict Secret s is owned by someone else"], sink.Written.Select(Describe));
        Assert.Equal(0, recorder.Dropped);
    }

    [Fact]
    public async Task Events_carry_the_time_they_happened_in_whole_seconds_and_the_object_as_it_was()
    {
        var sink = new GatedSink();
        sink.Open();
        var recorder = NewRecorder(sink, capacity: 8);

        await recorder.NormalAsync(Subject, "Issued", new string('x', 5000), Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        await recorder.FlushAsync(TimeSpan.FromSeconds(5)).WaitAsync(Poll.Deadline, Ct);

        var written = Assert.Single(sink.Written);
        Assert.Equal(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc), written.Timestamp);
        Assert.Equal(1024, written.Message.Length);
        Assert.Equal(("v1", "ConfigMap", "ns", "subject", "u-1", "7"),
            (written.Involved.ApiVersion, written.Involved.Kind, written.Involved.NamespaceProperty, written.Involved.Name, written.Involved.Uid, written.Involved.ResourceVersion));
    }

    [Fact]
    public async Task A_flood_of_events_while_the_API_server_hangs_is_dropped_and_counted_not_awaited()
    {
        var sink = new GatedSink();
        var metrics = new OperatorMetrics();
        var recorder = NewRecorder(sink, capacity: 10, metrics);
        Assert.Contains("apikey_operator_events_dropped_total 0", await ScrapeAsync(metrics), StringComparison.Ordinal);

        await recorder.NormalAsync(Subject, "Issued", "first", Ct);
        await sink.Started.WaitAsync(Poll.Deadline, Ct);
        // A flood across many objects: each is within its own spam budget, so only the queue bounds it.
        for (var i = 0; i < 1000; i++)
        {
            var call = recorder.WarningAsync(SubjectNumber(i), "Failed", $"attempt {i}", Ct);
            Assert.True(call.IsCompletedSuccessfully);
        }

        // One in the sink, ten queued, the rest dropped.
        Assert.Equal(990, recorder.Dropped);
        Assert.Contains("apikey_operator_events_dropped_total 990", await ScrapeAsync(metrics), StringComparison.Ordinal);

        sink.Open();
        await recorder.FlushAsync(TimeSpan.FromSeconds(5)).WaitAsync(Poll.Deadline, Ct);
        Assert.Equal(11, sink.Written.Count);
        Assert.Equal(["first", .. Enumerable.Range(0, 10).Select(i => $"attempt {i}")], sink.Written.Select(e => e.Message));
    }

    [Fact]
    public async Task Shutdown_flush_gives_up_at_its_deadline_on_the_clock_and_counts_what_was_left()
    {
        var sink = new GatedSink();
        var metrics = new OperatorMetrics();
        var recorder = NewRecorder(sink, capacity: 10, metrics);
        await recorder.NormalAsync(Subject, "Issued", "first", Ct);
        await sink.Started.WaitAsync(Poll.Deadline, Ct);
        await recorder.NormalAsync(Subject, "Issued", "second", Ct);
        await recorder.NormalAsync(Subject, "Issued", "third", Ct);

        var flush = recorder.FlushAsync(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(flush.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await flush.WaitAsync(Poll.Deadline, Ct);

        // The hung write was cancelled; the two queued behind it were never sent.
        Assert.True(sink.Cancelled);
        Assert.Empty(sink.Written);
        Assert.Equal(2, recorder.Dropped);
        Assert.Contains("apikey_operator_events_dropped_total 2", await ScrapeAsync(metrics), StringComparison.Ordinal);

        // After shutdown nothing is taken any more, and a second flush (the container's dispose) is harmless.
        await recorder.NormalAsync(Subject, "Issued", "late", Ct);
        Assert.Equal(3, recorder.Dropped);
        await recorder.DisposeAsync();
    }

    [Fact]
    public async Task One_object_in_a_failing_loop_is_held_to_its_spam_budget_while_other_objects_still_record()
    {
        var sink = new GatedSink();
        sink.Open();
        var metrics = new OperatorMetrics();
        var recorder = NewRecorder(sink, capacity: 4096, metrics);

        for (var i = 0; i < 100; i++)
        {
            await recorder.WarningAsync(Subject, "Failed", $"attempt {i}", Ct);
        }

        await recorder.WarningAsync(SubjectNumber(1), "Failed", "another object", Ct);
        Assert.Equal(75, recorder.Dropped);

        // One more Event of the looping object after five minutes, not before.
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await recorder.WarningAsync(Subject, "Failed", "too early", Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        await recorder.WarningAsync(Subject, "Failed", "after the refill", Ct);
        Assert.Equal(76, recorder.Dropped);
        Assert.Contains("apikey_operator_events_dropped_total 76", await ScrapeAsync(metrics), StringComparison.Ordinal);

        await recorder.FlushAsync(TimeSpan.FromSeconds(5)).WaitAsync(Poll.Deadline, Ct);
        var messages = sink.Written.Select(e => e.Message).ToList();
        Assert.Equal([.. Enumerable.Range(0, 25).Select(i => $"attempt {i}"), "another object", "after the refill"], messages);
    }

    [Fact]
    public void The_spam_filter_forgets_the_least_recently_seen_object_past_its_capacity()
    {
        var filter = new EventSpamFilter(new EventRecorderOptions { SpamBurst = 1, Capacity = 2 }, _time);
        V1ObjectReference Ref(int i) => new() { Kind = "ConfigMap", NamespaceProperty = "ns", Name = $"cm-{i}", Uid = $"u-{i}", ApiVersion = "v1" };

        Assert.True(filter.Allow(Ref(1)));
        Assert.True(filter.Allow(Ref(2)));
        Assert.False(filter.Allow(Ref(1)));
        Assert.False(filter.Allow(Ref(2)));

        // A third object pushes out object 1 (object 2 was seen last), which then starts with a full bucket again.
        Assert.True(filter.Allow(Ref(3)));
        Assert.False(filter.Allow(Ref(2)));
        Assert.True(filter.Allow(Ref(1)));

        // The same name with another uid is another object (deleted and re-created).
        Assert.False(filter.Allow(Ref(1)));
        Assert.True(filter.Allow(new V1ObjectReference { Kind = "ConfigMap", NamespaceProperty = "ns", Name = "cm-1", Uid = "u-1b", ApiVersion = "v1" }));
    }

    private static V1ConfigMap SubjectNumber(int i) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = $"subject-{i}", NamespaceProperty = "ns", Uid = $"u-flood-{i}", ResourceVersion = "1" },
    };

    private EventRecorder NewRecorder(IEventSink sink, int capacity, OperatorMetrics? metrics = null) =>
        new(sink, _time, NullLogger<EventRecorder>.Instance, new EventRecorderOptions { QueueCapacity = capacity }, metrics);

    private static string Describe(EventRequest e) => $"{e.Type} {e.Reason} {e.Message}";

    private static async Task<string> ScrapeAsync(OperatorMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.WriteAsync(stream, Ct);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An API server that holds every write until <see cref="Open"/>.</summary>
    private sealed class GatedSink : IEventSink
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _lock = new();
        private readonly List<EventRequest> _written = [];

        public Task Started => _started.Task;

        public bool Cancelled { get; private set; }

        public IReadOnlyList<EventRequest> Written
        {
            get
            {
                lock (_lock)
                {
                    return [.. _written];
                }
            }
        }

        public void Open() => _gate.TrySetResult();

        public async Task WriteAsync(EventRequest request, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            try
            {
                await _gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                return;
            }

            lock (_lock)
            {
                _written.Add(request);
            }
        }
    }
}
