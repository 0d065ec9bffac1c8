namespace ApiKeyOperator.Hosting;

/// <summary>Outcome of an <see cref="IReadinessCheck"/>; the detail is shown on /readyz.</summary>
public readonly record struct ReadinessResult(bool Ready, string? Detail = null);
