namespace KubeSim;

/// <summary>The admission operations KubeSim sends to webhooks (CONNECT is not simulated).</summary>
internal enum AdmissionOperation
{
    Create,
    Update,
    Delete,
}
