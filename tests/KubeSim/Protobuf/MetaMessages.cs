using static KubeSim.Protobuf.ProtoFields;

namespace KubeSim.Protobuf;

/// <summary>k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto: the metadata every object carries.</summary>
internal static class MetaMessages
{
    public static readonly ProtoMessage OwnerReference = new(
        Str(1, "kind"), Str(3, "name"), Str(4, "uid"), Str(5, "apiVersion"), Bool(6, "controller", keep: true), Bool(7, "blockOwnerDeletion", keep: true));

    public static readonly ProtoMessage ManagedFieldsEntry = new(
        Str(1, "manager"), Str(2, "operation"), Str(3, "apiVersion"), Time(4, "time"), Str(6, "fieldsType"), Json(7, "fieldsV1"), Str(8, "subresource"));

    // creationTimestamp and the other server-owned fields are left out: the server sets them.
    public static readonly ProtoMessage ObjectMeta = new(
        Str(1, "name"),
        Str(2, "generateName"),
        Str(3, "namespace"),
        Str(5, "uid"),
        Str(6, "resourceVersion"),
        StrMap(11, "labels"),
        StrMap(12, "annotations"),
        Msgs(13, "ownerReferences", OwnerReference),
        Strs(14, "finalizers"),
        Msgs(17, "managedFields", ManagedFieldsEntry));

    public static readonly ProtoMessage LabelSelectorRequirement = new(Str(1, "key", keep: true), Str(2, "operator", keep: true), Strs(3, "values"));

    public static readonly ProtoMessage LabelSelector = new(StrMap(1, "matchLabels"), Msgs(2, "matchExpressions", LabelSelectorRequirement));
}
