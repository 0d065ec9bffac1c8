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
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(template)));
        var number = BinaryPrimitives.ReadUInt32BigEndian(digest).ToString(CultureInfo.InvariantCulture);
        return new string([.. number.Select(c => SafeAlphabet[c % SafeAlphabet.Length])]);
    }
}
