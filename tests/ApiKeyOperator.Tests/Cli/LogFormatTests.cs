using System.Text.Json;
using ApiKeyOperator.Hosting.Logging;
using ApiKeyOperator.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Cli;

/// <summary>The operator's log lines in the shape controller-runtime (zap) users' pipelines parse.</summary>
public sealed partial class LogFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    [Fact]
    public void Json_is_one_flat_object_with_zaps_keys_scope_values_flattened_and_go_durations()
    {
        var logger = new FormatterLogger(new ZapJsonFormatter(new FakeTimeProvider(At)), "ApiKeyOperator.Runtime.Informer");
        using (logger.BeginScope(new ReconcileScope("apikey", new ObjectKey("payments", "billing"), "4f1c")))
        {
            logger.LogWarning(new HttpRequestException("Connection refused (10.0.0.1:443)", new IOException("Connection refused")),
                "Informer {Informer}: list/watch failed, retrying in {Backoff}", "apikeys", TimeSpan.FromMilliseconds(800));
        }

        var line = Assert.Single(logger.Lines);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(
            ["level", "ts", "logger", "msg", "controller", "namespace", "name", "reconcileID", "informer", "backoff", "error"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("warn", root.GetProperty("level").GetString());
        Assert.Equal(At.ToUnixTimeMilliseconds() / 1000.0, root.GetProperty("ts").GetDouble(), 6);
        Assert.Equal("ApiKeyOperator.Runtime.Informer", root.GetProperty("logger").GetString());
        Assert.Equal("Informer apikeys: list/watch failed, retrying in 800ms", root.GetProperty("msg").GetString());
        Assert.Equal("apikey", root.GetProperty("controller").GetString());
        Assert.Equal("payments", root.GetProperty("namespace").GetString());
        Assert.Equal("billing", root.GetProperty("name").GetString());
        Assert.Equal("4f1c", root.GetProperty("reconcileID").GetString());
        Assert.Equal("800ms", root.GetProperty("backoff").GetString());
        Assert.Equal("Connection refused (10.0.0.1:443): Connection refused", root.GetProperty("error").GetString());
        Assert.DoesNotContain("OriginalFormat", line, StringComparison.Ordinal);
        Assert.DoesNotContain("State", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_generated_messages_render_by_name_with_json_types()
    {
        var logger = new FormatterLogger(new ZapJsonFormatter(new FakeTimeProvider(At)), "test");

        LogPurged(logger, 42, TimeSpan.FromDays(400), true, new DateTime(2027, 1, 2, 3, 4, 5, DateTimeKind.Utc), ["a:read", "b:write"]);

        var root = JsonDocument.Parse(Assert.Single(logger.Lines)).RootElement;
        Assert.Equal("info", root.GetProperty("level").GetString());
        Assert.Equal("Purged 42 rows older than 400d (vacuum True) until 2027-01-02T03:04:05Z for a:read, b:write", root.GetProperty("msg").GetString());
        Assert.Equal(42, root.GetProperty("count").GetInt32());
        Assert.Equal("400d", root.GetProperty("retention").GetString());
        Assert.True(root.GetProperty("vacuum").GetBoolean());
        Assert.Equal("2027-01-02T03:04:05Z", root.GetProperty("until").GetString());
        Assert.Equal(["a:read", "b:write"], root.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Errors_carry_the_stack_in_one_escaped_field_and_a_message_cannot_break_the_line()
    {
        var logger = new FormatterLogger(new ZapJsonFormatter(new FakeTimeProvider(At)), "test");
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom\nsecond line");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        logger.LogError(thrown, "Reconcile of {Key} failed\n{Level} {Msg}", "ns/name\"}", "spoofed", "spoofed");

        var line = Assert.Single(logger.Lines);
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal("error", root.GetProperty("level").GetString());
        Assert.Equal("boom second line", root.GetProperty("error").GetString());
        Assert.Contains("InvalidOperationException", root.GetProperty("stacktrace").GetString(), StringComparison.Ordinal);
        Assert.Equal("ns/name\"}", root.GetProperty("key").GetString());
        // A value named like a reserved key does not replace it: the JSON has no duplicate keys.
        Assert.Equal("spoofed", root.GetProperty("level_").GetString());
        Assert.Equal("spoofed", root.GetProperty("msg_").GetString());
        Assert.Equal(root.EnumerateObject().Count(), root.EnumerateObject().Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void Text_is_one_tab_separated_line_with_go_durations_and_the_fields_as_json()
    {
        var logger = new FormatterLogger(new ZapTextFormatter(new FakeTimeProvider(At)), "ApiKeyOperator.Hosting.ControllerManager");
        using (logger.BeginScope(new ReconcileScope("apikey", new ObjectKey("payments", "billing"), "4f1c")))
        {
            logger.LogWarning("Reconciles still running after {Grace}, cancelling them", TimeSpan.FromSeconds(30));
        }

        Assert.Equal(
            "2026-03-04T05:06:07.890Z\tWARN\tApiKeyOperator.Hosting.ControllerManager\tReconciles still running after 30s, cancelling them\t"
            + "{\"controller\":\"apikey\",\"namespace\":\"payments\",\"name\":\"billing\",\"reconcileID\":\"4f1c\",\"grace\":\"30s\"}",
            Assert.Single(logger.Lines));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} rows older than {Retention} (vacuum {Vacuum}) until {Until} for {Scopes}")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan retention, bool vacuum, DateTime until, string[] scopes);
}
