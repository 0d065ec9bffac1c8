using System.Globalization;

namespace KubeSim.Selectors;

/// <summary>One requirement of a label selector: a key, an operator and the values it compares with.</summary>
internal sealed record LabelRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            SelectorOperator.Equals or SelectorOperator.In => present && Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.NotEquals or SelectorOperator.NotIn => !present || !Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.Exists => present,
            SelectorOperator.DoesNotExist => !present,
            SelectorOperator.GreaterThan => present && TryInteger(value!, out var gt) && gt > long.Parse(Values[0], CultureInfo.InvariantCulture),
            SelectorOperator.LessThan => present && TryInteger(value!, out var lt) && lt < long.Parse(Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    private static bool TryInteger(string text, out long number) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
}
