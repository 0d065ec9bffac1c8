using System.Net;
using System.Text;
using ApiKeyOperator.Api;
using ApiKeyOperator.Controllers;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Identity;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Rollouts;
using ApiKeyOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ApiKeyOperator.Tests.Controllers;

public sealed class ApiKeyReconcilerTests
{
    private static readonly ObjectKey Key = new("payments", "billing-exporter");
    private static readonly ObjectKey SecretKey = new("payments", "billing-exporter-key");

    private readonly FakeResource<ApiKey> _apiKeys = new();
    private readonly FakeResource<V1Secret> _secrets = new();
    private readonly FakeResource<ApiKeyRotation> _rotations = new();
    private readonly FakeResource<V1Deployment> _deployments = new();
    private readonly FakeResource<V1StatefulSet> _statefulSets = new();
    private readonly FakeResource<V1DaemonSet> _daemonSets = new();
    private readonly RecordingEvents _events = new();
    private readonly RecordingAuditLedger _audit = new();
    private readonly RequesterSigner _signer = new(new RequesterKey(new byte[32]));
    private readonly RecordingLogger<ApiKeyReconciler> _logger = new();
    private readonly FakeTimeProvider _clock = new(PlannerFixture.Start);
    private readonly OperatorMetrics _metrics = new();
    private readonly ApiKeyReconciler _reconciler;

    public ApiKeyReconcilerTests()
    {
        // The operator's Secret informer is scoped by label, so it never sees foreign Secrets.
        _secrets.CacheFilter = s => s.Metadata.Labels?.ContainsKey(WellKnown.ApiKeyLabel) == true;
        _reconciler = Reconciler();
        _apiKeys.Seed(new ApiKey
        {
            Metadata = new V1ObjectMeta { Name = Key.Name, NamespaceProperty = Key.Namespace },
            Spec = new ApiKeySpec { SecretName = SecretKey.Name, Validity = "720h" },
        });
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ApiKeyReconciler Reconciler(IResourceClient<V1Secret>? secretClient = null, IStatusWriter? statusWriter = null) =>
        new(
            _apiKeys,
            _secrets,
            _rotations,
            new Workloads(_deployments, _statefulSets, _daemonSets, _deployments, _statefulSets, _daemonSets),
            secretClient ?? _secrets,
            _apiKeys,
            _rotations,
            statusWriter ?? new FakeStatusWriter<ApiKey>(_apiKeys),
            _events,
            new AuditOutbox(_audit, NullLogger<AuditOutbox>.Instance),
            new VerifiedRequesterResolver(_signer, _audit, new OperatorUser(null)),
            _signer,
            new WriteExpectations(_clock),
            new RotationMetrics(_metrics),
            _clock,
            _logger);

    [Fact]
    public async Task New_apikey_is_issued_with_finalizer_pending_key_secret_and_status_in_four_writes()
    {
        var result = await _reconciler.ReconcileAsync(Key, Token);

        // Finalizer, the pending key's id and hash (persisted before the Secret holds it), the Secret, the status.
        Assert.Equal(4, _apiKeys.Writes.Count() + _secrets.Writes.Count());
        Assert.DoesNotContain(_apiKeys.Requests.Concat(_secrets.Requests), r => r.StartsWith("GET", StringComparison.Ordinal));
        var apiKey = _apiKeys.Stored(Key)!;
        Assert.Contains(WellKnown.Finalizer, apiKey.Metadata.Finalizers);
        var secret = _secrets.Stored(SecretKey)!;
        Assert.Equal(apiKey.Status.CurrentKeyId, Encoding.UTF8.GetString(secret.Data["keyId"]));
        Assert.Equal(apiKey.Metadata.Uid, secret.Metadata.OwnerReferences.Single().Uid);
        Assert.True(Conditions.IsTrue(apiKey.Status.Conditions, ConditionTypes.Ready));
        Assert.Equal(("Normal", Reasons.Issued), (_events.Recorded.Single().Type, _events.Recorded.Single().Reason));
        Assert.Equal(ApiKeyReconciler.MaxRequeue, result.RequeueAfter);
    }

    [Fact]
    public async Task Every_rotation_result_series_of_an_apikey_is_exported_at_zero_before_any_rotation()
    {
        Assert.DoesNotContain("apikey_rotations_total{", await ScrapeAsync(), StringComparison.Ordinal);

        await _reconciler.ReconcileAsync(Key, Token);

        // increase(...[1h]) > 0 needs a 0 sample before the first failure, also after an operator restart.
        var text = await ScrapeAsync();
        Assert.Empty(_rotations.Writes);
        foreach (var result in new[] { RotationMetrics.Succeeded, RotationMetrics.Failed })
        {
            Assert.Contains($"apikey_rotations_total{{namespace=\"{Key.Namespace}\",name=\"{Key.Name}\",result=\"{result}\"}} 0\n", text, StringComparison.Ordinal);
        }

        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("apikey_rotations_total{", StringComparison.Ordinal)));
    }

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _metrics.WriteAsync(stream, Token);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Unchanged_apikey_reconciled_again_makes_no_api_call_at_all()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        var requests = _apiKeys.Requests.Count + _secrets.Requests.Count;
        _clock.Advance(TimeSpan.FromHours(1));

        var result = await _reconciler.ReconcileAsync(Key, Token);

        Assert.Equal(requests, _apiKeys.Requests.Count + _secrets.Requests.Count);
        Assert.Single(_events.Recorded);
        Assert.Equal(ApiKeyReconciler.MaxRequeue, result.RequeueAfter);
    }

    [Fact]
    public async Task Requeue_is_exactly_at_a_deadline_within_a_day()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        _clock.Advance(TimeSpan.FromHours(720) - TimeSpan.FromMinutes(90) - TimeSpan.FromMilliseconds(250));

        var result = await _reconciler.ReconcileAsync(Key, Token);

        Assert.Equal(TimeSpan.FromMinutes(90) + TimeSpan.FromMilliseconds(250), result.RequeueAfter);
    }

    [Fact]
    public async Task Foreign_secret_missing_from_the_cache_is_found_by_a_live_read_and_left_untouched()
    {
        var foreign = _secrets.Seed(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = SecretKey.Name, NamespaceProperty = SecretKey.Namespace },
            Data = new Dictionary<string, byte[]> { ["password"] = "hunter2"u8.ToArray() },
        });

        await _reconciler.ReconcileAsync(Key, Token);

        // The label-scoped cache cannot show it: the create finds the name taken, and only then is it read.
        Assert.Contains($"GET {SecretKey}", _secrets.Requests);
        Assert.Equal([$"CREATE {SecretKey}"], _secrets.Writes);
        Assert.Equal(foreign.Metadata.ResourceVersion, _secrets.Stored(SecretKey)!.Metadata.ResourceVersion);
        var stalled = Conditions.Find(_apiKeys.Stored(Key)!.Status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(("True", Reasons.SecretConflict), (stalled.Status, stalled.Reason));
        Assert.Equal(("Warning", Reasons.SecretConflict), (_events.Recorded.Single().Type, _events.Recorded.Single().Reason));
    }

    [Fact]
    public async Task A_lagging_cache_never_leads_to_a_second_key()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        var keyId = _apiKeys.Stored(Key)!.Status.CurrentKeyId;
        _secrets.FreezeCache();
        await _secrets.DeleteAsync(SecretKey, Token); // the cache still shows it...
        _secrets.SyncCache();
        _secrets.FreezeCache();
        _clock.Advance(WriteExpectations.AbsentTtl); // gone from the cache long enough to be a deletion
        await _reconciler.ReconcileAsync(Key, Token); // ...restored: a fresh key, visible on the server only
        var restored = _apiKeys.Stored(Key)!.Status.CurrentKeyId;

        // The Secret cache has not seen the restored Secret yet: it still looks deleted.
        await _reconciler.ReconcileAsync(Key, Token);

        Assert.NotEqual(keyId, restored);
        Assert.Equal(restored, _apiKeys.Stored(Key)!.Status.CurrentKeyId);
        Assert.Equal(2, _apiKeys.Stored(Key)!.Status.Keys!.Count);
        Assert.Single(_events.Recorded, e => e.Reason == Reasons.SecretLost);
    }

    [Fact]
    public async Task A_lagging_apikey_cache_does_not_turn_into_writes()
    {
        _apiKeys.FreezeCache(); // the cache keeps the ApiKey as first seen: no finalizer, no status
        await _reconciler.ReconcileAsync(Key, Token);
        var writes = _apiKeys.Writes.Count() + _secrets.Writes.Count();
        var keyId = _apiKeys.Stored(Key)!.Status.CurrentKeyId;

        // The cache still shows the ApiKey as first seen: no finalizer, no status, an older resourceVersion.
        var result = await _reconciler.ReconcileAsync(Key, Token);

        Assert.Equal(ApiKeyReconciler.StaleCacheRecheck, result.RequeueAfter);

        // Older than this process's own last write: it waits for the watch event instead of deciding on it.
        Assert.Equal(writes, _apiKeys.Writes.Count() + _secrets.Writes.Count());
        Assert.Equal(keyId, _apiKeys.Stored(Key)!.Status.CurrentKeyId);
        Assert.DoesNotContain($"GET {Key}", _apiKeys.Requests);
    }

    [Fact]
    public async Task Secret_name_change_moves_the_credential_and_deletes_the_old_secret()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        var token = _secrets.Stored(SecretKey)!.Data["apiKey"];
        var apiKey = _apiKeys.Stored(Key)!;
        apiKey.Spec.SecretName = "billing-exporter-key-v2";
        apiKey.Metadata.Generation = 2;
        await _apiKeys.ReplaceAsync(apiKey, Token);

        await _reconciler.ReconcileAsync(Key, Token);

        Assert.Null(_secrets.Stored(SecretKey));
        Assert.Equal(token, _secrets.Stored(new ObjectKey("payments", "billing-exporter-key-v2"))!.Data["apiKey"]);
        Assert.Equal("billing-exporter-key-v2", _apiKeys.Stored(Key)!.Status.SecretName);
        Assert.Contains(_events.Recorded, e => e.Reason == Reasons.SecretMoved);
    }

    [Fact]
    public async Task A_usage_write_between_read_and_write_is_kept_and_the_decision_goes_through_once()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        var apiKey = _apiKeys.Stored(Key)!;
        apiKey.Spec.Validity = "100h";
        apiKey.Metadata.Generation = 2;
        await _apiKeys.ReplaceAsync(apiKey, Token);
        _events.Recorded.Clear();

        // The usage flusher merges status.usage in between the cache read and the status write (a 409 for the PUT).
        var result = await Reconciler(statusWriter: new RacingStatusWriter(_apiKeys)).ReconcileAsync(Key, Token);

        var status = _apiKeys.Stored(Key)!.Status;
        Assert.Equal(PlannerFixture.Start.UtcDateTime.AddHours(100), status.ExpiresAt);
        Assert.Equal(PlannerFixture.Start.UtcDateTime.AddMinutes(1), status.LastUsedAt);
        Assert.Equal(PlannerFixture.Start.UtcDateTime.AddMinutes(1), status.Usage![status.CurrentKeyId!].LastUsedAt);
        Assert.Single(_events.Recorded, e => e.Reason == Reasons.ExpiryUpdated);
        Assert.NotEqual(TimeSpan.FromSeconds(1), result.RequeueAfter);
    }

    [Fact]
    public async Task A_rotation_in_issuing_gets_its_key_from_the_apikey_controller()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        var old = _apiKeys.Stored(Key)!.Status.CurrentKeyId;
        _rotations.Seed(new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta { Name = "r1", NamespaceProperty = Key.Namespace },
            Spec = new ApiKeyRotationSpec { ApiKeyName = Key.Name },
            Status = new ApiKeyRotationStatus { Phase = RotationPhases.Issuing, OldKeyId = old, NewKeyId = "5eed5eed" },
        });

        await _reconciler.ReconcileAsync(Key, Token);

        var status = _apiKeys.Stored(Key)!.Status;
        Assert.Null(status.PendingKey);
        Assert.Equal("5eed5eed", status.CurrentKeyId);
        Assert.Equal("5eed5eed", Encoding.UTF8.GetString(_secrets.Stored(SecretKey)!.Data["keyId"]));
        Assert.Equal(KeyStates.Retiring, status.Keys!.Single(k => k.Id == old).State);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Rotating));
    }

    [Fact]
    public async Task A_due_schedule_creates_the_rotation_once()
    {
        var apiKey = _apiKeys.Stored(Key)!;
        apiKey.Spec.Rotation.Every = "24h";
        await _apiKeys.ReplaceAsync(apiKey, Token);
        await _reconciler.ReconcileAsync(Key, Token);
        _clock.Advance(TimeSpan.FromHours(24));
        _rotations.FreezeCache(); // the rotation informer has not seen the creation yet

        await _reconciler.ReconcileAsync(Key, Token);
        await _reconciler.ReconcileAsync(Key, Token);

        var name = RotationSchedule.NameFor(Key.Name, _apiKeys.Stored(Key)!.Status.CurrentKeyId!);
        Assert.NotNull(_rotations.Stored(new ObjectKey(Key.Namespace, name)));
        Assert.Equal(2, _rotations.Requests.Count(r => r.StartsWith("CREATE", StringComparison.Ordinal)));
        Assert.Single(_events.Recorded, e => e.Reason == Reasons.RotationScheduled);
    }

    [Fact]
    public async Task Deletion_revokes_keys_deletes_the_secret_and_releases_the_finalizer()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        await _apiKeys.DeleteAsync(Key, Token);

        await _reconciler.ReconcileAsync(Key, Token);

        Assert.Null(_apiKeys.Stored(Key));
        Assert.Null(_secrets.Stored(SecretKey));
        Assert.Contains(_apiKeys.Requests, r => r.StartsWith("STATUS", StringComparison.Ordinal));
        Assert.Contains(_events.Recorded, e => e.Reason == Reasons.Revoked);
    }

    [Fact]
    public async Task Audit_rows_follow_issue_expiry_update_emergency_rotation_expiry_and_deletion()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        var first = _apiKeys.Stored(Key)!.Status.CurrentKeyId!;
        var uid = _apiKeys.Stored(Key)!.Metadata.Uid;
        var edited = _apiKeys.Stored(Key)!;
        edited.Spec.Validity = "240h";
        await _apiKeys.ReplaceAsync(edited, Token);
        await _reconciler.ReconcileAsync(Key, Token);
        _rotations.Seed(new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta { Name = "leaked", NamespaceProperty = Key.Namespace },
            Spec = new ApiKeyRotationSpec { ApiKeyName = Key.Name, Strategy = RotationStrategies.Emergency },
            Status = new ApiKeyRotationStatus { Phase = RotationPhases.Issuing, OldKeyId = first, NewKeyId = "5eed5eed" },
        });
        await _reconciler.ReconcileAsync(Key, Token);
        _clock.Advance(TimeSpan.FromDays(11));
        await _reconciler.ReconcileAsync(Key, Token);
        await _apiKeys.DeleteAsync(Key, Token);
        await _reconciler.ReconcileAsync(Key, Token);

        Assert.Equal(
            [
                (AuditEventKinds.Issued, first, (string?)null),
                (AuditEventKinds.ExpiryUpdated, first, null),
                (AuditEventKinds.Revoked, first, "leaked"),
                (AuditEventKinds.Issued, "5eed5eed", "leaked"),
                (AuditEventKinds.Expired, "5eed5eed", null),
                (AuditEventKinds.Deleted, "5eed5eed", null),
            ],
            _audit.Entries.Select(e => (e.Kind, e.KeyId, e.Rotation)));
        Assert.All(_audit.Entries, e => Assert.Equal((Key.Namespace, Key.Name), (e.Namespace, e.ApiKey)));
        Assert.Equal("system:apikey-operator", _audit.Entries.Single(e => e.Kind == AuditEventKinds.Expired).Actor);
        // Each row names its fact, so a row re-sent after a crash lands once.
        Assert.Equal($"Issued/{uid}/{first}", _audit.Entries[0].IdempotencyKey);
        Assert.Equal(_audit.Entries.Count, _audit.Entries.Select(e => e.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task Deletion_goes_on_when_the_status_write_fails()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        await _apiKeys.DeleteAsync(Key, Token);
        _apiKeys.FailStatusWrites = _ => FakeResource<ApiKey>.Error(HttpStatusCode.InternalServerError);

        await _reconciler.ReconcileAsync(Key, Token);

        Assert.Null(_apiKeys.Stored(Key));
        Assert.Null(_secrets.Stored(SecretKey));
        Assert.Contains(_logger.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("revoke keys in status"));
        Assert.Contains(_audit.Entries, e => e.Kind == AuditEventKinds.Deleted);
    }

    [Fact]
    public async Task Deletion_leaves_a_foreign_secret_alone()
    {
        _secrets.Seed(new V1Secret { Metadata = new V1ObjectMeta { Name = SecretKey.Name, NamespaceProperty = SecretKey.Namespace } });
        await _reconciler.ReconcileAsync(Key, Token);
        await _apiKeys.DeleteAsync(Key, Token);

        await _reconciler.ReconcileAsync(Key, Token);

        Assert.Null(_apiKeys.Stored(Key));
        Assert.NotNull(_secrets.Stored(SecretKey));
    }

    [Fact]
    public async Task Key_material_never_reaches_logs_events_or_status()
    {
        await _reconciler.ReconcileAsync(Key, Token);
        await _secrets.DeleteAsync(SecretKey, Token);
        _clock.Advance(WriteExpectations.AbsentTtl); // long enough gone from the cache to be a deletion, not a lagging watch
        await _reconciler.ReconcileAsync(Key, Token);
        var secret = _secrets.Stored(SecretKey)!;
        var token = Encoding.UTF8.GetString(secret.Data["apiKey"]);
        var secretPart = token[^49..];

        var everything = string.Join("\n", _logger.Lines.Concat(_events.Recorded.Select(e => e.Message)))
            + k8s.KubernetesJson.Serialize(_apiKeys.Stored(Key));

        Assert.DoesNotContain(secretPart, everything);
        Assert.Contains(_apiKeys.Stored(Key)!.Status.CurrentKeyId!, everything);
    }

    [Fact]
    public async Task Secret_write_failures_do_not_carry_the_request()
    {
        _secrets.Seed(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "other", NamespaceProperty = SecretKey.Namespace },
        });
        var failing = Reconciler(secretClient: new FailingSecrets(_secrets));

        var error = await Assert.ThrowsAsync<SecretWriteException>(() => failing.ReconcileAsync(Key, Token));

        Assert.Contains("503", error.Message);
        Assert.Null(error.InnerException);
        Assert.Null(_apiKeys.Stored(Key)!.Status.CurrentKeyId);
    }

    /// <summary>A status writer that lets another client change status right before its own read.</summary>
    private sealed class RacingStatusWriter(FakeResource<ApiKey> apiKeys) : IStatusWriter
    {
        private bool _raced;

        public async Task<T?> UpdateAsync<T>(T current, Func<T, bool> mutate, CancellationToken cancellationToken)
            where T : class, k8s.IKubernetesObject<V1ObjectMeta>
        {
            if (!_raced)
            {
                _raced = true;
                var keyId = apiKeys.Stored(ObjectKey.Of(current))!.Status.CurrentKeyId;
                await apiKeys.PatchStatusAsync(
                    ObjectKey.Of(current),
                    "{\"status\":{\"lastUsedAt\":\"2026-11-23T14:01:00Z\",\"usage\":{\"" + keyId + "\":{\"lastUsedAt\":\"2026-11-23T14:01:00Z\"}}}}",
                    cancellationToken);
            }

            return await new FakeStatusWriter<ApiKey>(apiKeys).UpdateAsync(current, mutate, cancellationToken);
        }
    }

    private sealed class FailingSecrets(FakeResource<V1Secret> inner) : IResourceClient<V1Secret>
    {
        public Task<V1Secret?> GetAsync(ObjectKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public Task<V1Secret> CreateAsync(V1Secret obj, CancellationToken cancellationToken) =>
            throw FakeResource<V1Secret>.Error(HttpStatusCode.ServiceUnavailable);

        public Task<V1Secret> ReplaceAsync(V1Secret obj, CancellationToken cancellationToken) =>
            throw FakeResource<V1Secret>.Error(HttpStatusCode.ServiceUnavailable);

        public Task<V1Secret> PatchAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken) => inner.PatchAsync(key, mergePatchJson, cancellationToken);

        public Task<V1Secret> PatchStatusAsync(ObjectKey key, string mergePatchJson, CancellationToken cancellationToken) => inner.PatchStatusAsync(key, mergePatchJson, cancellationToken);

        public Task<V1Secret> ReplaceStatusAsync(V1Secret obj, CancellationToken cancellationToken) => inner.ReplaceStatusAsync(obj, cancellationToken);

        public Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
    }
}
