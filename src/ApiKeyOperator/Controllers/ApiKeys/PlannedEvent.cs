namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>A core/v1 Event to record about the ApiKey once the plan's writes succeeded. Never holds key material.</summary>
public sealed record PlannedEvent(bool Warning, string Reason, string Message);
