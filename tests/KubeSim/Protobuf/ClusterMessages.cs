using static KubeSim.Protobuf.ProtoFields;

namespace KubeSim.Protobuf;

/// <summary>
/// rbac.authorization.k8s.io/v1, networking.k8s.io/v1, policy/v1, scheduling.k8s.io/v1 and authorization.k8s.io/v1
/// generated.proto: the rest of what kubectl's generators and `kubectl auth can-i` send.
/// </summary>
internal static class ClusterMessages
{
    private static readonly ProtoMessage Meta = MetaMessages.ObjectMeta;

    public static readonly ProtoMessage PolicyRule = new(Strs(1, "verbs"), Strs(2, "apiGroups"), Strs(3, "resources"), Strs(4, "resourceNames"), Strs(5, "nonResourceURLs"));

    public static readonly ProtoMessage Subject = new(Str(1, "kind", keep: true), Str(2, "apiGroup"), Str(3, "name", keep: true), Str(4, "namespace"));

    public static readonly ProtoMessage RoleRef = new(Str(1, "apiGroup", keep: true), Str(2, "kind", keep: true), Str(3, "name", keep: true));

    public static readonly ProtoMessage Role = new(Msg(1, "metadata", Meta), Msgs(2, "rules", PolicyRule));

    public static readonly ProtoMessage ClusterRole = new(
        Msg(1, "metadata", Meta), Msgs(2, "rules", PolicyRule), Msg(3, "aggregationRule", new ProtoMessage(Msgs(1, "clusterRoleSelectors", MetaMessages.LabelSelector))));

    public static readonly ProtoMessage RoleBinding = new(Msg(1, "metadata", Meta), Msgs(2, "subjects", Subject), Msg(3, "roleRef", RoleRef));

    public static readonly ProtoMessage ServiceBackendPort = new(Str(1, "name"), I32(2, "number"));

    public static readonly ProtoMessage TypedLocalObjectReference = new(Str(1, "apiGroup", keep: true), Str(2, "kind", keep: true), Str(3, "name", keep: true));

    public static readonly ProtoMessage IngressBackend = new(
        Msg(3, "resource", TypedLocalObjectReference), Msg(4, "service", new ProtoMessage(Str(1, "name", keep: true), Msg(2, "port", ServiceBackendPort))));

    public static readonly ProtoMessage HttpIngressPath = new(Str(1, "path"), Msg(2, "backend", IngressBackend), Str(3, "pathType", keep: true));

    public static readonly ProtoMessage IngressRule = new(Str(1, "host"), Inline(2, new ProtoMessage(Msg(1, "http", new ProtoMessage(Msgs(1, "paths", HttpIngressPath))))));

    public static readonly ProtoMessage Ingress = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        Msg(1, "defaultBackend", IngressBackend),
        Msgs(2, "tls", new ProtoMessage(Strs(1, "hosts"), Str(2, "secretName"))),
        Msgs(3, "rules", IngressRule),
        Str(4, "ingressClassName", keep: true))));

    public static readonly ProtoMessage PodDisruptionBudget = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        IntOrStr(1, "minAvailable"), Msg(2, "selector", MetaMessages.LabelSelector), IntOrStr(3, "maxUnavailable"), Str(4, "unhealthyPodEvictionPolicy", keep: true))));

    public static readonly ProtoMessage PriorityClass = new(
        Msg(1, "metadata", Meta), I32(2, "value", keep: true), Bool(3, "globalDefault"), Str(4, "description"), Str(5, "preemptionPolicy", keep: true));

    private static readonly ProtoMessage ResourceAttributes = new(
        Str(1, "namespace"), Str(2, "verb"), Str(3, "group"), Str(4, "version"), Str(5, "resource"), Str(6, "subresource"), Str(7, "name"));

    private static readonly ProtoMessage NonResourceAttributes = new(Str(1, "path"), Str(2, "verb"));

    public static readonly ProtoMessage SelfSubjectAccessReview = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        Msg(1, "resourceAttributes", ResourceAttributes), Msg(2, "nonResourceAttributes", NonResourceAttributes))));

    public static readonly ProtoMessage SubjectAccessReview = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        Msg(1, "resourceAttributes", ResourceAttributes), Msg(2, "nonResourceAttributes", NonResourceAttributes), Str(3, "user"), Strs(4, "groups"))));
}
