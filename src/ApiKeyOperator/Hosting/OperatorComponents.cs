namespace ApiKeyOperator.Hosting;

/// <summary>
/// The parts of <c>apikey-operator run</c> that <c>--components</c> selects, so that they can run as separate
/// Deployments under separate ServiceAccounts: the review endpoint, which faces every provider in the cluster,
/// without the controllers' access to Secrets.
/// </summary>
public static class OperatorComponents
{
    /// <summary>The ApiKey and ApiKeyRotation controllers, the audit trail, the operator's own certificates.</summary>
    public const string Controllers = "controllers";

    /// <summary>The ApiKeyReview endpoint and last-used tracking.</summary>
    public const string Review = "review";

    public static IReadOnlyList<string> All { get; } = [Controllers, Review];
}
