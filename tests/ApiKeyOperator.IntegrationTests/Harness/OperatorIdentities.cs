namespace ApiKeyOperator.IntegrationTests.Harness;

/// <summary>
/// The users test operators act as on KubeSim: the ServiceAccounts the install creates. Every request they make
/// is attributed to them in KubeSim's log, so the whole suite's requests can be held against config/rbac.
/// </summary>
public static class OperatorIdentities
{
    public const string Namespace = "apikey-operator-system";

    /// <summary>The controllers (and, in the single-Deployment layout, everything else).</summary>
    public const string Operator = "system:serviceaccount:" + Namespace + ":apikey-operator";

    /// <summary>The review endpoint's own Deployment (<c>--components=review</c>), which may not read Secrets.</summary>
    public const string Review = "system:serviceaccount:" + Namespace + ":apikey-operator-review";

    public static IReadOnlyList<string> All { get; } = [Operator, Review];
}
