namespace KubeSim.Protobuf;

/// <summary>
/// Field numbers (from the Kubernetes generated.proto files) of the kinds kubectl's imperative `create`
/// commands send as protobuf: namespace, secret, configmap, serviceaccount, and the access reviews of
/// `kubectl auth can-i`.
/// </summary>
internal static class KubernetesProtoMessages
{
    private static readonly ProtoMessage OwnerReference = new(
    [
        new(1, "kind", ProtoFieldKind.String),
        new(3, "name", ProtoFieldKind.String),
        new(4, "uid", ProtoFieldKind.String),
        new(5, "apiVersion", ProtoFieldKind.String),
        new(6, "controller", ProtoFieldKind.Bool),
        new(7, "blockOwnerDeletion", ProtoFieldKind.Bool),
    ]);

    // creationTimestamp and the other server-owned fields are left out: the server sets them.
    private static readonly ProtoMessage ObjectMeta = new(
    [
        new(1, "name", ProtoFieldKind.String),
        new(2, "generateName", ProtoFieldKind.String),
        new(3, "namespace", ProtoFieldKind.String),
        new(6, "resourceVersion", ProtoFieldKind.String),
        new(11, "labels", ProtoFieldKind.StringMap),
        new(12, "annotations", ProtoFieldKind.StringMap),
        new(13, "ownerReferences", ProtoFieldKind.RepeatedMessage, OwnerReference),
        new(14, "finalizers", ProtoFieldKind.RepeatedString),
    ]);

    private static readonly ProtoMessage ObjectReference = new(
    [
        new(1, "kind", ProtoFieldKind.String),
        new(2, "namespace", ProtoFieldKind.String),
        new(3, "name", ProtoFieldKind.String),
        new(4, "uid", ProtoFieldKind.String),
        new(5, "apiVersion", ProtoFieldKind.String),
    ]);

    private static readonly ProtoMessage LocalObjectReference = new([new(1, "name", ProtoFieldKind.String)]);

    private static readonly ProtoMessage ResourceAttributes = new(
    [
        new(1, "namespace", ProtoFieldKind.String),
        new(2, "verb", ProtoFieldKind.String),
        new(3, "group", ProtoFieldKind.String),
        new(4, "version", ProtoFieldKind.String),
        new(5, "resource", ProtoFieldKind.String),
        new(6, "subresource", ProtoFieldKind.String),
        new(7, "name", ProtoFieldKind.String),
    ]);

    private static readonly ProtoMessage NonResourceAttributes = new(
    [
        new(1, "path", ProtoFieldKind.String),
        new(2, "verb", ProtoFieldKind.String),
    ]);

    /// <summary>The message of a core/v1 kind, or null when KubeSim cannot decode it.</summary>
    public static ProtoMessage? For(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("v1", "Namespace") => new(
        [
            new(1, "metadata", ProtoFieldKind.Message, ObjectMeta),
            new(2, "spec", ProtoFieldKind.Message, new ProtoMessage([new(1, "finalizers", ProtoFieldKind.RepeatedString)])),
        ]),
        ("v1", "Secret") => new(
        [
            new(1, "metadata", ProtoFieldKind.Message, ObjectMeta),
            new(2, "data", ProtoFieldKind.BytesMap),
            new(3, "type", ProtoFieldKind.String),
            new(4, "stringData", ProtoFieldKind.StringMap),
            new(5, "immutable", ProtoFieldKind.Bool),
        ]),
        ("v1", "ConfigMap") => new(
        [
            new(1, "metadata", ProtoFieldKind.Message, ObjectMeta),
            new(2, "data", ProtoFieldKind.StringMap),
            new(3, "binaryData", ProtoFieldKind.BytesMap),
            new(4, "immutable", ProtoFieldKind.Bool),
        ]),
        ("v1", "ServiceAccount") => new(
        [
            new(1, "metadata", ProtoFieldKind.Message, ObjectMeta),
            new(2, "secrets", ProtoFieldKind.RepeatedMessage, ObjectReference),
            new(3, "imagePullSecrets", ProtoFieldKind.RepeatedMessage, LocalObjectReference),
            new(4, "automountServiceAccountToken", ProtoFieldKind.Bool),
        ]),
        ("authorization.k8s.io/v1", "SelfSubjectAccessReview") => new(
        [
            new(1, "metadata", ProtoFieldKind.Message, ObjectMeta),
            new(2, "spec", ProtoFieldKind.Message, new ProtoMessage(
            [
                new(1, "resourceAttributes", ProtoFieldKind.Message, ResourceAttributes),
                new(2, "nonResourceAttributes", ProtoFieldKind.Message, NonResourceAttributes),
            ])),
        ]),
        ("authorization.k8s.io/v1", "SubjectAccessReview") => new(
        [
            new(1, "metadata", ProtoFieldKind.Message, ObjectMeta),
            new(2, "spec", ProtoFieldKind.Message, new ProtoMessage(
            [
                new(1, "resourceAttributes", ProtoFieldKind.Message, ResourceAttributes),
                new(2, "nonResourceAttributes", ProtoFieldKind.Message, NonResourceAttributes),
                new(3, "user", ProtoFieldKind.String),
                new(4, "groups", ProtoFieldKind.RepeatedString),
            ])),
        ]),
        _ => null,
    };
}
