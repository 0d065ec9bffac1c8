using System.Text.Json.Nodes;

namespace KubeSim.ManagedFields;

/// <summary>
/// A set of field paths as structured-merge-diff keeps them (the FieldsV1 format): a tree of path elements
/// ("f:name", "k:{...}", "v:...", "i:N"), where a node is a member when the path itself is owned. Immutable.
/// </summary>
internal sealed class FieldSet
{
    private const string Self = ".";
    private static readonly IReadOnlyDictionary<string, FieldSet> NoChildren = new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);

    private FieldSet(bool member, IReadOnlyDictionary<string, FieldSet> children)
    {
        Member = member;
        Children = children;
    }

    public static FieldSet Empty { get; } = new(false, NoChildren);

    /// <summary>Whether the path leading to this node is itself in the set.</summary>
    public bool Member { get; }

    public IReadOnlyDictionary<string, FieldSet> Children { get; }

    public bool IsEmpty => !Member && Children.Count == 0;

    /// <summary>A set holding exactly the given paths.</summary>
    public static FieldSet Of(IEnumerable<IReadOnlyList<string>> paths)
    {
        var builder = new Builder();
        foreach (var path in paths)
        {
            builder.Insert(path);
        }

        return builder.Build();
    }

    /// <summary>Every member path, parents before children.</summary>
    public IEnumerable<IReadOnlyList<string>> Paths() => Walk([]);

    public bool Contains(IReadOnlyList<string> path) => Node(path)?.Member == true;

    /// <summary>Whether the set holds the path or anything below it.</summary>
    public bool ContainsPrefix(IReadOnlyList<string> path) => Node(path) is { IsEmpty: false };

    public FieldSet Union(FieldSet other) => Combine(this, other, static (a, b) => a || b);

    public FieldSet Intersect(FieldSet other) => Combine(this, other, static (a, b) => a && b);

    public FieldSet Difference(FieldSet other) => Combine(this, other, static (a, b) => a && !b);

    public bool SetEquals(FieldSet other) => Difference(other).IsEmpty && other.Difference(this).IsEmpty;

    /// <summary>The FieldsV1 JSON: "." marks a member that also has children.</summary>
    public JsonObject ToFieldsV1()
    {
        var json = new JsonObject();
        if (Member && Children.Count > 0)
        {
            json[Self] = new JsonObject();
        }

        foreach (var (element, child) in Children)
        {
            json[element] = child.ToFieldsV1();
        }

        return json;
    }

    /// <summary>Parses FieldsV1 JSON; a malformed document is a FormatException.</summary>
    public static FieldSet FromFieldsV1(JsonNode? json) => Parse(json as JsonObject ?? throw new FormatException("fieldsV1 must be an object"), member: false, depth: 0);

    private static FieldSet Parse(JsonObject json, bool member, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException("fieldsV1 is nested too deeply");
        }

        var children = new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);
        foreach (var (key, value) in json)
        {
            if (key == Self)
            {
                member = true;
                continue;
            }

            if (key.Length < 3 || key[1] != ':' || key[0] is not ('f' or 'k' or 'v' or 'i') || value is not JsonObject child)
            {
                throw new FormatException($"fieldsV1 has an invalid path element \"{key}\"");
            }

            // A leaf ({}) is a member; an inner node is a member only with ".".
            children[key] = child.Count == 0 ? new FieldSet(true, NoChildren) : Parse(child, member: false, depth + 1);
        }

        return new FieldSet(member, children);
    }

    private IEnumerable<IReadOnlyList<string>> Walk(List<string> prefix)
    {
        if (Member && prefix.Count > 0)
        {
            yield return prefix.ToArray();
        }

        foreach (var (element, child) in Children)
        {
            prefix.Add(element);
            foreach (var path in child.Walk(prefix))
            {
                yield return path;
            }

            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    private FieldSet? Node(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node.Children.TryGetValue(element, out node))
            {
                return null;
            }
        }

        return node;
    }

    private static FieldSet Combine(FieldSet? a, FieldSet? b, Func<bool, bool, bool> keep)
    {
        var member = keep(a?.Member == true, b?.Member == true);
        var children = new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);
        var keys = (a?.Children.Keys ?? []).Union(b?.Children.Keys ?? [], StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var child = Combine(a?.Children.GetValueOrDefault(key), b?.Children.GetValueOrDefault(key), keep);
            if (!child.IsEmpty)
            {
                children[key] = child;
            }
        }

        return new FieldSet(member, children);
    }

    /// <summary>Collects paths; the set is built once at the end.</summary>
    internal sealed class Builder
    {
        private readonly Node root = new();

        public void Insert(IReadOnlyList<string> path)
        {
            var node = root;
            foreach (var element in path)
            {
                if (!node.Children.TryGetValue(element, out var child))
                {
                    child = new Node();
                    node.Children[element] = child;
                }

                node = child;
            }

            node.Member = path.Count > 0 || node.Member;
        }

        public FieldSet Build() => Freeze(root);

        private static FieldSet Freeze(Node node) =>
            new(node.Member, new SortedDictionary<string, FieldSet>(node.Children.ToDictionary(kv => kv.Key, kv => Freeze(kv.Value)), StringComparer.Ordinal));

        private sealed class Node
        {
            public bool Member { get; set; }

            public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
        }
    }
}
