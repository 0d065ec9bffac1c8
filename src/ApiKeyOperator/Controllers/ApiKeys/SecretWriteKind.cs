namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>How the desired Secret reaches the API server.</summary>
public enum SecretWriteKind
{
    /// <summary>POST: the Secret does not exist (a concurrent creation fails with 409 and is retried).</summary>
    Create,

    /// <summary>PUT with the observed resourceVersion: a concurrent change fails with 409 and is retried.</summary>
    Replace,
}
