namespace ApiKeyOperator.Tests.Install;

/// <summary>One permission: a verb on a resource (with "/subresource" if any) of an API group ("" is core).</summary>
public sealed record RbacGrant(string ApiGroup, string Resource, string Verb)
{
    public override string ToString() => $"{(ApiGroup.Length == 0 ? "core" : ApiGroup)} {Resource} {Verb}";
}
