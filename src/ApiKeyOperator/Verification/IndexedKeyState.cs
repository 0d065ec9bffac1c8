namespace ApiKeyOperator.Verification;

/// <summary>Lifecycle state of one key as the index saw it (<c>status.keys[].state</c>).</summary>
public enum IndexedKeyState
{
    Active,
    Retiring,
    Revoked,
    Expired,
}
