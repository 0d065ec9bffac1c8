namespace ApiKeyOperator.Admission;

/// <summary>One permission asked for on behalf of a requester: a verb on a named object of a namespace.</summary>
public sealed record ResourceAccess(string Verb, string Group, string Resource, string Namespace, string Name)
{
    /// <summary>How a refusal names it: <c>get secrets "x"</c>, <c>grant scopes.apikeyoperator.io "y"</c>.</summary>
    public string Describe() => $"{Verb} {(Group.Length == 0 ? Resource : $"{Resource}.{Group}")} \"{Name}\" in the namespace \"{Namespace}\"";
}
