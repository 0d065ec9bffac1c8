using System.Collections;

namespace ApiKeyOperator.Runtime;

/// <summary>
/// The logging scope of one reconcile, with controller-runtime's keys: every line a reconciler logs carries
/// <c>controller</c>, <c>namespace</c>, <c>name</c> and a <c>reconcileID</c> unique to this run.
/// </summary>
public sealed class ReconcileScope(string controller, ObjectKey key, string reconcileId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("controller", controller),
        1 => new("namespace", key.Namespace),
        2 => new("name", key.Name),
        3 => new("reconcileID", reconcileId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public static ReconcileScope Start(string controller, ObjectKey key) => new(controller, key, Guid.NewGuid().ToString());

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"controller={controller} namespace={key.Namespace} name={key.Name} reconcileID={reconcileId}";
}
