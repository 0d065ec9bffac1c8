namespace ApiKeyOperator.Rollouts;

/// <summary>A roll patch this process made: the key id set and the resourceVersion it was applied to.</summary>
public sealed record Roll(string KeyId, string? FromVersion);
