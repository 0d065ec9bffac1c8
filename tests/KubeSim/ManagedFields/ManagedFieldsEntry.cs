namespace KubeSim.ManagedFields;

/// <summary>One metadata.managedFields entry: who (manager, operation, subresource) owns which fields, and since when.</summary>
internal sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, string? Time, string Subresource, FieldSet Fields)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    /// <summary>
    /// What identifies a manager, as kube-apiserver's manager identifier: name, operation and subresource, and the
    /// apiVersion for updates (an applier keeps one entry whatever version it applies with).
    /// </summary>
    public (string Manager, string Operation, string ApiVersion, string Subresource) Identity =>
        (Manager, Operation, Operation == Apply ? "" : ApiVersion, Subresource);

    /// <summary>How conflicts name the manager: "m", "m" with subresource "status", "m" using apps/v1.</summary>
    public string Describe()
    {
        var text = $"\"{Manager}\"";
        if (Subresource.Length > 0)
        {
            text += $" with subresource \"{Subresource}\"";
        }

        return Operation == Update ? $"{text} using {ApiVersion}" : text;
    }
}
