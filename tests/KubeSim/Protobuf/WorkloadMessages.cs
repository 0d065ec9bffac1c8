using static KubeSim.Protobuf.ProtoFields;

namespace KubeSim.Protobuf;

/// <summary>k8s.io/api/apps/v1 and batch/v1 generated.proto: the workload kinds (status is the server's, so left out).</summary>
internal static class WorkloadMessages
{
    private static readonly ProtoMessage Meta = MetaMessages.ObjectMeta;
    private static readonly ProtoMessage Selector = MetaMessages.LabelSelector;
    private static readonly ProtoMessage Template = CoreMessages.PodTemplateSpec;

    public static readonly ProtoMessage DeploymentStrategy = new(
        Str(1, "type"), Msg(2, "rollingUpdate", new ProtoMessage(IntOrStr(1, "maxUnavailable"), IntOrStr(2, "maxSurge"))));

    public static readonly ProtoMessage Deployment = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        I32(1, "replicas", keep: true),
        Msg(2, "selector", Selector),
        Msg(3, "template", Template),
        Msg(4, "strategy", DeploymentStrategy),
        I32(5, "minReadySeconds"),
        I32(6, "revisionHistoryLimit", keep: true),
        Bool(7, "paused"),
        I32(9, "progressDeadlineSeconds", keep: true))));

    public static readonly ProtoMessage ReplicaSet = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        I32(1, "replicas", keep: true), Msg(2, "selector", Selector), Msg(3, "template", Template), I32(4, "minReadySeconds"))));

    public static readonly ProtoMessage StatefulSet = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        I32(1, "replicas", keep: true),
        Msg(2, "selector", Selector),
        Msg(3, "template", Template),
        Str(5, "serviceName"),
        Str(6, "podManagementPolicy"),
        Msg(7, "updateStrategy", new ProtoMessage(Str(1, "type"), Msg(2, "rollingUpdate", new ProtoMessage(I32(1, "partition", keep: true), IntOrStr(2, "maxUnavailable"))))),
        I32(8, "revisionHistoryLimit", keep: true),
        I32(9, "minReadySeconds"))));

    public static readonly ProtoMessage DaemonSet = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        Msg(1, "selector", Selector),
        Msg(2, "template", Template),
        Msg(3, "updateStrategy", new ProtoMessage(Str(1, "type"), Msg(2, "rollingUpdate", new ProtoMessage(IntOrStr(1, "maxUnavailable"), IntOrStr(2, "maxSurge"))))),
        I32(4, "minReadySeconds"),
        I32(6, "revisionHistoryLimit", keep: true))));

    public static readonly ProtoMessage JobSpec = new(
        I32(1, "parallelism", keep: true),
        I32(2, "completions", keep: true),
        I64(3, "activeDeadlineSeconds", keep: true),
        Msg(4, "selector", Selector),
        Bool(5, "manualSelector", keep: true),
        Msg(6, "template", Template),
        I32(7, "backoffLimit", keep: true),
        I32(8, "ttlSecondsAfterFinished", keep: true),
        Str(9, "completionMode", keep: true),
        Bool(10, "suspend", keep: true),
        I32(12, "backoffLimitPerIndex", keep: true),
        I32(13, "maxFailedIndexes", keep: true),
        Str(14, "podReplacementPolicy", keep: true),
        Str(15, "managedBy", keep: true));

    public static readonly ProtoMessage Job = new(Msg(1, "metadata", Meta), Msg(2, "spec", JobSpec));

    public static readonly ProtoMessage CronJob = new(Msg(1, "metadata", Meta), Msg(2, "spec", new ProtoMessage(
        Str(1, "schedule", keep: true),
        I64(2, "startingDeadlineSeconds", keep: true),
        Str(3, "concurrencyPolicy"),
        Bool(4, "suspend", keep: true),
        Msg(5, "jobTemplate", new ProtoMessage(Msg(1, "metadata", Meta), Msg(2, "spec", JobSpec))),
        I32(6, "successfulJobsHistoryLimit", keep: true),
        I32(7, "failedJobsHistoryLimit", keep: true),
        Str(8, "timeZone", keep: true))));
}
