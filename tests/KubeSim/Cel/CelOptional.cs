namespace KubeSim.Cel;

/// <summary><c>oldSelf</c> of a rule with <c>optionalOldSelf: true</c>: a CEL optional (hasValue, value, orValue).</summary>
internal sealed record CelOptional(bool HasValue, object? Value);
