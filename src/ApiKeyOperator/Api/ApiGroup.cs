namespace ApiKeyOperator.Api;

/// <summary>The API group and version of this operator's custom resources.</summary>
public static class ApiGroup
{
    public const string Name = "apikeyoperator.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Name + "/" + Version;
}
