using System.Text.Json.Nodes;

namespace KubeSim.Schema;

/// <summary>
/// The outcome of validating a custom resource: the object after pruning and defaulting, the validation
/// causes (empty when valid) and the paths of the unknown fields that were pruned (<c>spec.foo</c>).
/// </summary>
internal sealed record SchemaResult(JsonObject Object, IReadOnlyList<SchemaCause> Causes, IReadOnlyList<string> UnknownFields)
{
    public bool IsValid => Causes.Count == 0;
}
