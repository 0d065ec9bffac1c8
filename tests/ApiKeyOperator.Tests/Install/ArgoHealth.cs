namespace ApiKeyOperator.Tests.Install;

/// <summary>What an Argo CD health script returned: hs.status and hs.message.</summary>
public sealed record ArgoHealth(string Status, string Message);
