namespace ApiKeyOperator.Verification.Signing;

/// <summary>The key set a plan wants stored, whether that differs from what is stored, and when to plan again at the latest.</summary>
public sealed record SigningKeyPlan(IReadOnlyList<SigningKey> Keys, bool Changed, DateTime NextReviewAt);
