namespace ApiKeyOperator.Controllers;

/// <summary>A core/v1 Event a planner decided on, recorded once the plan's writes succeeded. Never holds key material.</summary>
public sealed record PlannedEvent(bool Warning, string Reason, string Message);
