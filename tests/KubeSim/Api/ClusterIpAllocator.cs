using System.Net;
using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>
/// Gives every ClusterIP Service an address from a fake service range (10.96.0.0/12, as kubeadm's default), the
/// way kube-apiserver's allocator does on create, and keeps it across updates: clusterIP is immutable, and an
/// update that leaves it out (a PUT of a manifest) keeps the allocated one. Addresses are handed out in order and
/// not reused, which is enough uniqueness for a test cluster's lifetime (about a million Services).
/// </summary>
internal sealed class ClusterIpAllocator
{
    private const uint RangeStart = (10u << 24) | (96u << 16);
    private const uint RangeSize = 1u << 20;
    private long allocated;

    /// <summary>Fills in spec.clusterIP and spec.clusterIPs of a Service being written; other kinds are left alone.</summary>
    public void Assign(ResourceDefinition definition, JsonObject service, JsonObject? existing)
    {
        if (definition.IsCustom || definition.Group.Length != 0 || definition.Kind != "Service" || service["spec"] is not JsonObject spec)
        {
            return;
        }

        if (Str(spec["type"]) == "ExternalName")
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
            return;
        }

        var previous = Str(existing?["spec"]?["clusterIP"]);
        var requested = Str(spec["clusterIP"]);
        if (previous.Length > 0 && requested.Length > 0 && requested != previous)
        {
            throw StatusErrors.Invalid("", "Service", ObjectMeta.Name(service),
                [("FieldValueInvalid", $"Invalid value: \"{requested}\": field is immutable", "spec.clusterIP")]);
        }

        var address = requested.Length > 0 ? requested : previous.Length > 0 ? previous : Next();
        spec["clusterIP"] = address;
        spec["clusterIPs"] = new JsonArray(address);
    }

    private string Next()
    {
        // Offset 0 is the network address; the last one is broadcast.
        var offset = (uint)((Interlocked.Increment(ref allocated) - 1) % (RangeSize - 2)) + 1;
        var value = RangeStart + offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
