namespace ApiKeyOperator.Ledger;

/// <summary>One usage write waiting to be combined into a batch; <see cref="Done"/> completes when it is committed or failed.</summary>
internal sealed record PendingUsage(string Namespace, string ApiKey, string KeyId, long AtMs)
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
