using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>Everything KubeSim knows about one served resource in one version.</summary>
internal sealed record ResourceDefinition(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    bool HasStatus,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories)
{
    /// <summary>The CRD's openAPIV3Schema for this version (null for built-ins).</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>The CRD's additionalPrinterColumns for this version (null for built-ins).</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>Whether PUT of a missing object creates it (true for leases and events, as in kube-apiserver).</summary>
    public bool AllowCreateOnUpdate { get; init; }

    /// <summary>Whether the resource has a scale subresource (autoscaling/v1 Scale over spec.replicas).</summary>
    public bool HasScale { get; init; }

    /// <summary>True for authorization.k8s.io access reviews: create-only, answered and never stored.</summary>
    public bool IsAccessReview { get; init; }

    /// <summary>The verbs discovery lists, when not the full set (e.g. create-only review resources).</summary>
    public IReadOnlyList<string>? Verbs { get; init; }

    /// <summary>True for resources served from a CustomResourceDefinition.</summary>
    public bool IsCustom { get; init; }

    /// <summary>The resource identifier.</summary>
    public ResourceId Id => new(Group, Version, Plural);

    /// <summary>Kind of the list type, e.g. SecretList.</summary>
    public string ListKind => Kind + "List";
}
