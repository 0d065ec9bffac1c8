namespace ApiKeyOperator.IntegrationTests.Rotations;

/// <summary>The ways a pod template can read the ApiKey's Secret (or not at all).</summary>
public enum SecretUse
{
    None,
    Volume,
    EnvSecretKeyRef,
    EnvFrom,
    ProjectedVolume,
}
