namespace ApiKeyOperator.Identity;

/// <summary>
/// The HMAC key requester records are signed with, shared by every replica through a Secret of the operator's
/// namespace (<see cref="RequesterKeyStore"/>). Until it is loaded nothing can be signed or verified.
/// </summary>
public sealed class RequesterKey
{
    private volatile byte[]? _bytes;

    public RequesterKey()
    {
    }

    /// <summary>A key known up front (tests).</summary>
    public RequesterKey(byte[] bytes) => _bytes = bytes;

    public bool IsLoaded => _bytes is not null;

    /// <summary>The key; throws while it has not been loaded (a reconcile that needs it is retried).</summary>
    public byte[] Bytes => _bytes ?? throw new InvalidOperationException("the requester key is not loaded yet (Secret " + RequesterKeyStore.SecretName + ")");

    public void Set(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 32)
        {
            throw new ArgumentException("a requester key has at least 32 bytes", nameof(bytes));
        }

        _bytes = bytes;
    }
}
