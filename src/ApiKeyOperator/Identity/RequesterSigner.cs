using System.Security.Cryptography;
using System.Text;
using ApiKeyOperator.Api;
using k8s;
using k8s.Models;

namespace ApiKeyOperator.Identity;

/// <summary>Makes and checks <see cref="RequesterRecord"/>s with the operator's <see cref="RequesterKey"/>.</summary>
public sealed class RequesterSigner(RequesterKey key)
{
    public const string GenerateNamePrefix = "generateName:";

    /// <summary>A record of <paramref name="requester"/> for an object named <paramref name="name"/> (or, when empty, generated from <paramref name="generateName"/>).</summary>
    public RequesterRecord Sign(string kind, string? namespaceName, string? name, string? generateName, Requester requester, string specHash)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var record = new RequesterRecord
        {
            Username = requester.Username,
            Groups = requester.Groups,
            Uid = requester.Uid,
            Name = string.IsNullOrEmpty(name) ? GenerateNamePrefix + (generateName ?? "") : name,
            SpecHash = specHash,
        };
        return record with { Mac = Mac(kind, namespaceName, record) };
    }

    /// <summary>Signs <paramref name="obj"/> as the operator's own (objects it creates: scheduled and restore rotations).</summary>
    public void StampAsOperator(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var record = Sign(obj.Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name, obj.Metadata.GenerateName, Requester.Operator, HashOf(obj)
            ?? throw new ArgumentException($"{obj.Kind} has no requester record", nameof(obj)));
        obj.Metadata.Annotations ??= new Dictionary<string, string>();
        obj.Metadata.Annotations[RequesterRecord.Annotation] = record.ToJson();
    }

    /// <summary>The record on <paramref name="obj"/> when it verifies for this object and its current spec; otherwise null.</summary>
    public RequesterRecord? Verified(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var record = RequesterRecord.Read(obj.Metadata.Annotations);
        return record is not null && Verifies(obj.Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name, record, HashOf(obj)) ? record : null;
    }

    /// <summary>True when <paramref name="record"/> was signed with this key for this object and spec.</summary>
    public bool Verifies(string kind, string? namespaceName, string? name, RequesterRecord record, string? specHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (specHash is null || record.SpecHash != specHash || !NameMatches(record.Name, name))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(kind, namespaceName, record));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(record.Mac));
    }

    private static string? HashOf(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        ApiKey apiKey => SpecHash.Of(apiKey.Spec),
        ApiKeyRotation rotation => SpecHash.Of(rotation.Spec),
        _ => null,
    };

    // A generated name is the prefix plus a suffix the API server chose after admission.
    private static bool NameMatches(string recorded, string? actual) =>
        recorded.StartsWith(GenerateNamePrefix, StringComparison.Ordinal)
            ? actual is not null && recorded.Length > GenerateNamePrefix.Length && actual.StartsWith(recorded[GenerateNamePrefix.Length..], StringComparison.Ordinal)
            : recorded == actual;

    private string Mac(string kind, string? namespaceName, RequesterRecord record)
    {
        // Length-prefixed fields: no two different records share an input.
        var input = new StringBuilder("apikeyoperator.io/requester/v1");
        foreach (var field in new[] { kind, namespaceName ?? "", record.Name, record.Username, record.Uid ?? "", string.Join('\u001f', record.Groups), record.SpecHash })
        {
            input.Append('\n').Append(field.Length).Append(':').Append(field);
        }

        return Convert.ToBase64String(HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes(input.ToString())));
    }
}
