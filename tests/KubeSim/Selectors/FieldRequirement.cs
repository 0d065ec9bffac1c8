namespace KubeSim.Selectors;

/// <summary>One term of a field selector: a dotted field path compared with a value by = / == (Equals) or != (NotEquals).</summary>
internal sealed record FieldRequirement(string Field, SelectorOperator Operator, string Value);
