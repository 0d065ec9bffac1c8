namespace KubeSim.ManagedFields;

/// <summary>
/// The list semantics of the built-in kinds (the +listType/+listMapKey markers of the Go types) by field name and
/// parent: containers merge by name, container ports by containerPort and protocol, conditions by type, and so on.
/// Lists not named here are atomic, as in the Kubernetes schemas.
/// </summary>
internal sealed class BuiltInFieldType : FieldType
{
    // Objects kept whole (+structType=atomic, +mapType=atomic): label selectors, node selectors, role references.
    private static readonly string[] AtomicFields = ["selector", "nodeSelector", "roleRef"];

    private readonly string name;
    private readonly string parent;

    private BuiltInFieldType(string name, string parent)
    {
        this.name = name;
        this.parent = parent;
    }

    public static BuiltInFieldType Root { get; } = new("", "");

    public static BuiltInFieldType Metadata { get; } = new("metadata", "");

    public override bool Atomic => AtomicFields.Contains(name);

    public override ListType ListType => Keys() switch
    {
        null => ListType.Atomic,
        { Length: 0 } => ListType.Set,
        _ => ListType.Map,
    };

    public override IReadOnlyList<string> ListKeys => Keys() ?? [];

    public override bool IsMap => name is "labels" or "annotations" or "data" or "stringData" or "binaryData" or "matchLabels" or "limits" or "requests" or "hard";

    // An item has no name of its own; its fields see the list's name as their parent.
    public override FieldType Items => new BuiltInFieldType("", name);

    public override FieldType Field(string field) => new BuiltInFieldType(field, name.Length == 0 ? parent : name);

    // null: atomic list; empty: set; otherwise the map keys.
    private string[]? Keys() => (name, parent) switch
    {
        ("containers" or "initContainers" or "ephemeralContainers", _) => ["name"],
        ("ports", "containers" or "initContainers" or "ephemeralContainers") => ["containerPort", "protocol"],
        ("ports", "spec") => ["port", "protocol"],
        ("env" or "volumes" or "imagePullSecrets" or "resourceClaims" or "schedulingGates", _) => ["name"],
        ("volumeMounts", _) => ["mountPath"],
        ("volumeDevices", _) => ["devicePath"],
        ("conditions", _) => ["type"],
        ("ownerReferences", "metadata") => ["uid"],
        ("hostAliases", _) => ["ip"],
        ("topologySpreadConstraints", _) => ["topologyKey", "whenUnsatisfiable"],
        ("finalizers", "metadata") => [],
        _ => null,
    };
}
