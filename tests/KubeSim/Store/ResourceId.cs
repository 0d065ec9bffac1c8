namespace KubeSim;

/// <summary>A served resource: API group ("" for core), version and plural name.</summary>
public readonly record struct ResourceId(string Group, string Version, string Plural)
{
    /// <summary>"v1" for core, otherwise "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"plural" for core, otherwise "plural.group" — the form the API server uses in messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
