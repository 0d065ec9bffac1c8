using System.Text.Json.Nodes;
using ApiKeyOperator.Api;
using k8s;
using k8s.Models;
using KubeSim.Controllers;

namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>The namespace as of one point of the history.</summary>
public sealed class HistoryState
{
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyIdByHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiKeyRotation> _rotations = new(StringComparer.Ordinal);

    public ApiKey? ApiKey { get; private set; }

    public IReadOnlyDictionary<string, ApiKeyRotation> Rotations => _rotations;

    public IEnumerable<V1Pod> Pods => _pods.Values;

    public void Apply(ObservedEvent e)
    {
        switch (e.Object)
        {
            case V1Pod pod when e.Type == WatchEventType.Deleted:
                _pods.Remove(pod.Metadata.Name);
                break;
            case V1Pod pod:
                _pods[pod.Metadata.Name] = pod;
                break;
            case V1Secret secret when e.Type != WatchEventType.Deleted && secret.Data?.TryGetValue(SecretDataKeys.KeyId, out var id) == true:
                _keyIdByHash[HashOf(secret)] = System.Text.Encoding.UTF8.GetString(id);
                break;
            case ApiKey apiKey:
                ApiKey = e.Type == WatchEventType.Deleted ? null : apiKey;
                break;
            case ApiKeyRotation rotation when e.Type == WatchEventType.Deleted:
                _rotations.Remove(rotation.Metadata.Name);
                break;
            case ApiKeyRotation rotation:
                _rotations[rotation.Metadata.Name] = rotation;
                break;
        }
    }

    /// <summary>Pods that serve traffic: Ready and not terminating.</summary>
    public IEnumerable<V1Pod> ReadyPods() =>
        _pods.Values.Where(p => p.Metadata.DeletionTimestamp is null
            && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);

    /// <summary>The key id a pod started with, from its secret-hash annotation; null when it does not read the Secret.</summary>
    public string? KeyIdOf(V1Pod pod, string secretName)
    {
        if (pod.Metadata.Annotations?.TryGetValue(PodSecretHashes.AnnotationName, out var json) != true
            || JsonNode.Parse(json!) is not JsonObject hashes
            || hashes[secretName]?.GetValue<string>() is not { } hash)
        {
            return null;
        }

        return _keyIdByHash.TryGetValue(hash, out var keyId) ? keyId : $"<Secret data {hash} never seen>";
    }

    private static string HashOf(V1Secret secret)
    {
        var data = new JsonObject();
        foreach (var (key, value) in secret.Data!)
        {
            data[key] = Convert.ToBase64String(value);
        }

        return PodSecretHashes.HashOf(data);
    }
}
