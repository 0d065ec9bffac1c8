using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim.Controllers;

/// <summary>
/// The short hash of a pod template used for <c>pod-template-hash</c> and <c>controller-revision-hash</c>: a
/// 32-bit hash of the canonical template written with the API server's "safe" alphabet (no vowels), like the
/// values real controllers produce.
/// </summary>
internal static class TemplateHash
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonNode? template)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(WithoutEmpties(template))));
        var number = BinaryPrimitives.ReadUInt32BigEndian(digest).ToString(CultureInfo.InvariantCulture);
        return new string([.. number.Select(c => SafeAlphabet[c % SafeAlphabet.Length])]);
    }

    // The API server stores templates defaulted, so clients that echo one back with empty fields
    // (kubectl rollout undo sends "creationTimestamp": null and "resources": {}) still mean the same template.
    private static JsonNode? WithoutEmpties(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (WithoutEmpties(value) is { } kept)
                    {
                        result[key] = kept;
                    }
                }

                return result.Count == 0 ? null : result;
            }
            case JsonArray array:
                return array.Count == 0 ? null : new JsonArray([.. array.Select(item => WithoutEmpties(item) ?? new JsonObject())]);
            default:
                return node?.DeepClone();
        }
    }
}
