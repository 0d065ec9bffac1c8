namespace KubeSim.Schema;

/// <summary>One validation failure as the API server reports it in <c>Status.details.causes</c>.</summary>
internal sealed record SchemaCause(string Reason, string Message, string Field);
