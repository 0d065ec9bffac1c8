using k8s.Models;

namespace ApiKeyOperator.Runtime;

/// <summary>One Event to write: taken when it happened (the object reference and time then), written later.</summary>
public sealed record EventRequest(V1ObjectReference Involved, string Type, string Reason, string Message, DateTime Timestamp);
