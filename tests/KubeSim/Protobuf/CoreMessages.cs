using static KubeSim.Protobuf.ProtoFields;

namespace KubeSim.Protobuf;

/// <summary>k8s.io/api/core/v1/generated.proto: pods, their templates and the core kinds kubectl creates.</summary>
internal static class CoreMessages
{
    public static readonly ProtoMessage LocalObjectReference = new(Str(1, "name"));

    public static readonly ProtoMessage ObjectReference = new(
        Str(1, "kind"), Str(2, "namespace"), Str(3, "name"), Str(4, "uid"), Str(5, "apiVersion"), Str(6, "resourceVersion"), Str(7, "fieldPath"));

    public static readonly ProtoMessage ContainerPort = new(
        Str(1, "name"), I32(2, "hostPort"), I32(3, "containerPort", keep: true), Str(4, "protocol"), Str(5, "hostIP"));

    public static readonly ProtoMessage ObjectFieldSelector = new(Str(1, "apiVersion"), Str(2, "fieldPath", keep: true));

    public static readonly ProtoMessage ResourceFieldSelector = new(Str(1, "containerName"), Str(2, "resource", keep: true), Quantity(3, "divisor"));

    public static readonly ProtoMessage ConfigMapKeySelector = new(Inline(1, LocalObjectReference), Str(2, "key", keep: true), Bool(3, "optional", keep: true));

    public static readonly ProtoMessage SecretKeySelector = new(Inline(1, LocalObjectReference), Str(2, "key", keep: true), Bool(3, "optional", keep: true));

    public static readonly ProtoMessage EnvVarSource = new(
        Msg(1, "fieldRef", ObjectFieldSelector), Msg(2, "resourceFieldRef", ResourceFieldSelector), Msg(3, "configMapKeyRef", ConfigMapKeySelector), Msg(4, "secretKeyRef", SecretKeySelector));

    public static readonly ProtoMessage EnvVar = new(Str(1, "name", keep: true), Str(2, "value"), Msg(3, "valueFrom", EnvVarSource));

    public static readonly ProtoMessage EnvSourceReference = new(Inline(1, LocalObjectReference), Bool(2, "optional", keep: true));

    public static readonly ProtoMessage EnvFromSource = new(Str(1, "prefix"), Msg(2, "configMapRef", EnvSourceReference), Msg(3, "secretRef", EnvSourceReference));

    public static readonly ProtoMessage ResourceRequirements = new(QuantityMap(1, "limits"), QuantityMap(2, "requests"));

    public static readonly ProtoMessage VolumeMount = new(
        Str(1, "name", keep: true), Bool(2, "readOnly"), Str(3, "mountPath", keep: true), Str(4, "subPath"), Str(5, "mountPropagation"), Str(6, "subPathExpr"));

    public static readonly ProtoMessage ExecAction = new(Strs(1, "command"));

    public static readonly ProtoMessage HttpHeader = new(Str(1, "name", keep: true), Str(2, "value", keep: true));

    public static readonly ProtoMessage HttpGetAction = new(Str(1, "path"), IntOrStr(2, "port"), Str(3, "host"), Str(4, "scheme"), Msgs(5, "httpHeaders", HttpHeader));

    public static readonly ProtoMessage TcpSocketAction = new(IntOrStr(1, "port"), Str(2, "host"));

    public static readonly ProtoMessage ProbeHandler = new(Msg(1, "exec", ExecAction), Msg(2, "httpGet", HttpGetAction), Msg(3, "tcpSocket", TcpSocketAction));

    public static readonly ProtoMessage Probe = new(
        Inline(1, ProbeHandler), I32(2, "initialDelaySeconds"), I32(3, "timeoutSeconds"), I32(4, "periodSeconds"), I32(5, "successThreshold"),
        I32(6, "failureThreshold"), I64(7, "terminationGracePeriodSeconds", keep: true));

    public static readonly ProtoMessage Capabilities = new(Strs(1, "add"), Strs(2, "drop"));

    public static readonly ProtoMessage SeccompProfile = new(Str(1, "type", keep: true), Str(2, "localhostProfile", keep: true));

    public static readonly ProtoMessage SecurityContext = new(
        Msg(1, "capabilities", Capabilities), Bool(2, "privileged", keep: true), I64(4, "runAsUser", keep: true), Bool(5, "runAsNonRoot", keep: true),
        Bool(6, "readOnlyRootFilesystem", keep: true), Bool(7, "allowPrivilegeEscalation", keep: true), I64(8, "runAsGroup", keep: true),
        Str(9, "procMount", keep: true), Msg(11, "seccompProfile", SeccompProfile));

    public static readonly ProtoMessage Container = new(
        Str(1, "name", keep: true),
        Str(2, "image"),
        Strs(3, "command"),
        Strs(4, "args"),
        Str(5, "workingDir"),
        Msgs(6, "ports", ContainerPort),
        Msgs(7, "env", EnvVar),
        Msg(8, "resources", ResourceRequirements),
        Msgs(9, "volumeMounts", VolumeMount),
        Msg(10, "livenessProbe", Probe),
        Msg(11, "readinessProbe", Probe),
        Str(13, "terminationMessagePath"),
        Str(14, "imagePullPolicy"),
        Msg(15, "securityContext", SecurityContext),
        Bool(16, "stdin"),
        Bool(17, "stdinOnce"),
        Bool(18, "tty"),
        Msgs(19, "envFrom", EnvFromSource),
        Str(20, "terminationMessagePolicy"),
        Msg(22, "startupProbe", Probe));

    public static readonly ProtoMessage KeyToPath = new(Str(1, "key", keep: true), Str(2, "path", keep: true), I32(3, "mode", keep: true));

    public static readonly ProtoMessage EmptyDirVolumeSource = new(Str(1, "medium"), Quantity(2, "sizeLimit"));

    public static readonly ProtoMessage SecretVolumeSource = new(Str(1, "secretName"), Msgs(2, "items", KeyToPath), I32(3, "defaultMode", keep: true), Bool(4, "optional", keep: true));

    public static readonly ProtoMessage PersistentVolumeClaimVolumeSource = new(Str(1, "claimName", keep: true), Bool(2, "readOnly"));

    public static readonly ProtoMessage ConfigMapVolumeSource = new(Inline(1, LocalObjectReference), Msgs(2, "items", KeyToPath), I32(3, "defaultMode", keep: true), Bool(4, "optional", keep: true));

    public static readonly ProtoMessage VolumeSource = new(
        Msg(2, "emptyDir", EmptyDirVolumeSource), Msg(6, "secret", SecretVolumeSource), Msg(10, "persistentVolumeClaim", PersistentVolumeClaimVolumeSource), Msg(19, "configMap", ConfigMapVolumeSource));

    public static readonly ProtoMessage Volume = new(Str(1, "name", keep: true), Inline(2, VolumeSource));

    public static readonly ProtoMessage Toleration = new(Str(1, "key"), Str(2, "operator"), Str(3, "value"), Str(4, "effect"), I64(5, "tolerationSeconds", keep: true));

    public static readonly ProtoMessage PodSecurityContext = new(
        I64(2, "runAsUser", keep: true), Bool(3, "runAsNonRoot", keep: true), I64(5, "fsGroup", keep: true), I64(6, "runAsGroup", keep: true),
        Str(9, "fsGroupChangePolicy", keep: true), Msg(10, "seccompProfile", SeccompProfile));

    public static readonly ProtoMessage PodSpec = new(
        Msgs(1, "volumes", Volume),
        Msgs(2, "containers", Container),
        Str(3, "restartPolicy"),
        I64(4, "terminationGracePeriodSeconds", keep: true),
        I64(5, "activeDeadlineSeconds", keep: true),
        Str(6, "dnsPolicy"),
        StrMap(7, "nodeSelector"),
        Str(8, "serviceAccountName"),
        Str(9, "serviceAccount"),
        Str(10, "nodeName"),
        Bool(11, "hostNetwork"),
        Bool(12, "hostPID"),
        Bool(13, "hostIPC"),
        Msg(14, "securityContext", PodSecurityContext),
        Msgs(15, "imagePullSecrets", LocalObjectReference),
        Str(16, "hostname"),
        Str(17, "subdomain"),
        Str(19, "schedulerName"),
        Msgs(20, "initContainers", Container),
        Bool(21, "automountServiceAccountToken", keep: true),
        Msgs(22, "tolerations", Toleration),
        Str(24, "priorityClassName"),
        I32(25, "priority", keep: true),
        Bool(27, "shareProcessNamespace", keep: true),
        Str(29, "runtimeClassName", keep: true),
        Bool(30, "enableServiceLinks", keep: true),
        Str(31, "preemptionPolicy", keep: true),
        Bool(35, "setHostnameAsFQDN", keep: true));

    public static readonly ProtoMessage PodTemplateSpec = new(Msg(1, "metadata", MetaMessages.ObjectMeta), Msg(2, "spec", PodSpec));

    public static readonly ProtoMessage Pod = new(Msg(1, "metadata", MetaMessages.ObjectMeta), Msg(2, "spec", PodSpec));

    public static readonly ProtoMessage Namespace = new(Msg(1, "metadata", MetaMessages.ObjectMeta), Msg(2, "spec", new ProtoMessage(Strs(1, "finalizers"))));

    public static readonly ProtoMessage Secret = new(
        Msg(1, "metadata", MetaMessages.ObjectMeta), BytesMap(2, "data"), Str(3, "type"), StrMap(4, "stringData"), Bool(5, "immutable", keep: true));

    public static readonly ProtoMessage ConfigMap = new(
        Msg(1, "metadata", MetaMessages.ObjectMeta), StrMap(2, "data"), BytesMap(3, "binaryData"), Bool(4, "immutable", keep: true));

    public static readonly ProtoMessage ServiceAccount = new(
        Msg(1, "metadata", MetaMessages.ObjectMeta), Msgs(2, "secrets", ObjectReference), Msgs(3, "imagePullSecrets", LocalObjectReference),
        Bool(4, "automountServiceAccountToken", keep: true));

    public static readonly ProtoMessage ServicePort = new(
        Str(1, "name"), Str(2, "protocol"), I32(3, "port", keep: true), IntOrStr(4, "targetPort"), I32(5, "nodePort"), Str(6, "appProtocol", keep: true));

    public static readonly ProtoMessage ServiceSpec = new(
        Msgs(1, "ports", ServicePort),
        StrMap(2, "selector"),
        Str(3, "clusterIP"),
        Str(4, "type"),
        Strs(5, "externalIPs"),
        Str(7, "sessionAffinity"),
        Str(8, "loadBalancerIP"),
        Strs(9, "loadBalancerSourceRanges"),
        Str(10, "externalName"),
        Str(11, "externalTrafficPolicy"),
        I32(12, "healthCheckNodePort"),
        Bool(13, "publishNotReadyAddresses"),
        Str(17, "ipFamilyPolicy", keep: true),
        Strs(18, "clusterIPs"),
        Strs(19, "ipFamilies"),
        Bool(20, "allocateLoadBalancerNodePorts", keep: true),
        Str(21, "loadBalancerClass", keep: true),
        Str(22, "internalTrafficPolicy", keep: true));

    public static readonly ProtoMessage Service = new(Msg(1, "metadata", MetaMessages.ObjectMeta), Msg(2, "spec", ServiceSpec));

    public static readonly ProtoMessage ScopedResourceSelectorRequirement = new(Str(1, "scopeName", keep: true), Str(2, "operator", keep: true), Strs(3, "values"));

    public static readonly ProtoMessage ResourceQuotaSpec = new(
        QuantityMap(1, "hard"), Strs(2, "scopes"), Msg(3, "scopeSelector", new ProtoMessage(Msgs(1, "matchExpressions", ScopedResourceSelectorRequirement))));

    public static readonly ProtoMessage ResourceQuota = new(Msg(1, "metadata", MetaMessages.ObjectMeta), Msg(2, "spec", ResourceQuotaSpec));
}
