using System.Collections.Concurrent;
using ApiKeyOperator.Verification;

namespace ApiKeyOperator.Tests.Verification;

internal sealed class RecordingUsageSink : IKeyUsageSink
{
    public ConcurrentQueue<(string Namespace, string ApiKey, string KeyId, DateTime At)> Uses { get; } = new();

    public void Record(string namespaceName, string apiKeyName, string keyId, DateTime at) =>
        Uses.Enqueue((namespaceName, apiKeyName, keyId, at));
}
