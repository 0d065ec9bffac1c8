namespace ApiKeyOperator.Api;

/// <summary>Values of a condition's <c>status</c>.</summary>
public static class ConditionStatuses
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    public static string Of(bool value) => value ? True : False;
}
