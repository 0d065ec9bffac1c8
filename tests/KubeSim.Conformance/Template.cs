using System.Globalization;

namespace KubeSim.Conformance;

/// <summary>Fills @0, @1… in a JSON template (JSON's braces make interpolated strings awkward).</summary>
internal static class Template
{
    public static string Fill(string template, params object[] values)
    {
        for (var i = values.Length - 1; i >= 0; i--)
        {
            template = template.Replace("@" + i.ToString(CultureInfo.InvariantCulture), Convert.ToString(values[i], CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return template;
    }
}
