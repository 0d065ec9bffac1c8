using System.Text.Json.Nodes;

namespace KubeSim.JsonPaths;

/// <summary>Selects array items by index (negative counts from the end) or by a slice <c>[start:end:step]</c>.</summary>
internal sealed record IndexStep(IReadOnlyList<int> Indexes, int? SliceStart, int? SliceEnd, int SliceStep, bool IsSlice) : JsonPathStep
{
    public override IEnumerable<JsonNode?> Select(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return [];
        }

        return IsSlice ? Slice(array) : Indexes.Select(i => i < 0 ? i + array.Count : i).Where(i => i >= 0 && i < array.Count).Select(i => array[i]);
    }

    private IEnumerable<JsonNode?> Slice(JsonArray array)
    {
        var start = Clamp(SliceStart ?? 0, array.Count);
        var end = Clamp(SliceEnd ?? array.Count, array.Count);
        for (var i = start; i < end; i += SliceStep)
        {
            yield return array[i];
        }
    }

    private static int Clamp(int index, int count) => Math.Clamp(index < 0 ? index + count : index, 0, count);
}
