using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// The <c>kubesim.io/secret-hashes</c> pod annotation: for each Secret the pod spec references (volumes,
/// projected volumes, env secretKeyRef, envFrom secretRef, in containers and init containers), the hash of that
/// Secret's data when the pod was created, or <c>missing</c>. Tests use it to prove which credential a pod runs with.
/// </summary>
public static class PodSecretHashes
{
    public const string AnnotationName = "kubesim.io/secret-hashes";

    public const string Missing = "missing";

    /// <summary>The distinct Secret names a pod spec references, sorted.</summary>
    public static IReadOnlyList<string> ReferencedSecrets(JsonObject? podSpec)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (podSpec is null)
        {
            return [];
        }

        foreach (var volume in Items(podSpec["volumes"]))
        {
            Add(names, volume["secret"]?["secretName"]);
            foreach (var source in Items(volume["projected"]?["sources"]))
            {
                Add(names, source["secret"]?["name"]);
            }
        }

        foreach (var container in Items(podSpec["containers"]).Concat(Items(podSpec["initContainers"])))
        {
            foreach (var env in Items(container["env"]))
            {
                Add(names, env["valueFrom"]?["secretKeyRef"]?["name"]);
            }

            foreach (var envFrom in Items(container["envFrom"]))
            {
                Add(names, envFrom["secretRef"]?["name"]);
            }
        }

        return [.. names];
    }

    /// <summary>
    /// <c>sha256:&lt;hex&gt;</c> of a Secret's data: the JSON object of its keys in ordinal order with their base64
    /// values as stored, serialised without whitespace (<c>{}</c> when the Secret has no data).
    /// </summary>
    public static string HashOf(JsonObject? secretData)
    {
        var canonical = CanonicalJson.Serialize(secretData ?? []);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The same hash for Secret data as a client model holds it (raw bytes per key), e.g. <c>V1Secret.Data</c>.</summary>
    public static string HashOfBytes(IDictionary<string, byte[]>? data)
    {
        var encoded = new JsonObject();
        foreach (var (key, value) in data ?? new Dictionary<string, byte[]>())
        {
            encoded[key] = Convert.ToBase64String(value);
        }

        return HashOf(encoded);
    }

    /// <summary>The annotation value for a pod spec in a namespace, reading the Secrets from the store now.</summary>
    internal static string Compute(ObjectStore store, string ns, JsonObject? podSpec)
    {
        ArgumentNullException.ThrowIfNull(store);
        var result = new JsonObject();
        foreach (var name in ReferencedSecrets(podSpec))
        {
            var secret = store.Get(WorkloadResources.Secrets, ns, name);
            result[name] = secret is null ? Missing : HashOf(secret["data"] as JsonObject);
        }

        return result.ToJsonString();
    }

    /// <summary>Parses a pod's annotation (empty when absent or malformed).</summary>
    public static IReadOnlyDictionary<string, string> Read(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod["metadata"]?["annotations"]?[AnnotationName] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return new Dictionary<string, string>();
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject map
                ? map.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
                : new Dictionary<string, string>();
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }

    private static IEnumerable<JsonObject> Items(JsonNode? list) => list is JsonArray array ? array.OfType<JsonObject>() : [];

    private static void Add(SortedSet<string> names, JsonNode? name)
    {
        if (name is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            names.Add(text);
        }
    }
}
