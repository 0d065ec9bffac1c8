using System.Text.Json.Nodes;
using KubeSim.Selectors;
using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>Builds the object filter of a list or watch from labelSelector and fieldSelector.</summary>
internal static class ListFilter
{
    public static Func<JsonObject, bool> From(HttpContext context)
    {
        try
        {
            var labels = LabelSelector.Parse(HttpIo.Query(context, "labelSelector"));
            var fields = FieldSelector.Parse(HttpIo.Query(context, "fieldSelector"));
            if (labels.IsEmpty && fields.IsEmpty)
            {
                return static _ => true;
            }

            return obj => labels.Matches(ObjectMeta.Labels(obj)) && fields.Matches(obj);
        }
        catch (SelectorParseException ex)
        {
            throw StatusErrors.BadRequest($"unable to parse requirement: {ex.Message}");
        }
    }
}
