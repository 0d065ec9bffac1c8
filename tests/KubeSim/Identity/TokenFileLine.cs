using System.Text;

namespace KubeSim;

/// <summary>Splits one CSV line of a static token file (double quotes group a field; "" inside quotes is a quote).</summary>
internal static class TokenFileLine
{
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException("unterminated quoted field");
        }

        fields.Add(current.ToString().Trim());
        return fields;
    }
}
