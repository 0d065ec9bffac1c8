namespace KubeSim.Selectors;

/// <summary>The operators of a label selector requirement, as in k8s.io/apimachinery selection.</summary>
internal enum SelectorOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
