namespace ApiKeyOperator.Runtime;

/// <summary>Values of the <c>result</c> label of controller_runtime_reconcile_total.</summary>
internal static class ReconcileOutcome
{
    public const string Success = "success";
    public const string Error = "error";
    public const string RequeueAfter = "requeue_after";

    public static readonly IReadOnlyList<string> All = [Success, Error, RequeueAfter];
}
