using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeSim;

/// <summary>
/// apimachinery's ObjectMeta validation of labels and annotations, with its field paths and message texts:
/// label keys and annotation keys are qualified names (optional DNS-subdomain prefix, name part of at most 63
/// characters), label values at most 63 characters of the label alphabet, annotations at most 256 KiB in total.
/// </summary>
internal static partial class MetadataValidation
{
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    private const string QualifiedNameError = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private const string LabelValueError = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private const string SubdomainError = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string QualifiedFormError = "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

    public static void Validate(JsonObject obj, List<(string Reason, string Message, string Field)> causes)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            return;
        }

        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                foreach (var problem in QualifiedNameProblems(key))
                {
                    causes.Add(Invalid("metadata.labels", key, problem));
                }

                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
                foreach (var problem in LabelValueProblems(text))
                {
                    causes.Add(Invalid("metadata.labels", text, problem));
                }
            }
        }

        if (meta["annotations"] is JsonObject annotations)
        {
            long size = 0;
            foreach (var (key, value) in annotations)
            {
                foreach (var problem in QualifiedNameProblems(key.ToLowerInvariant()))
                {
                    causes.Add(Invalid("metadata.annotations", key, problem));
                }

                size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : "");
            }

            if (size > TotalAnnotationSizeLimit)
            {
                causes.Add(("FieldValueTooLong", $"Too long: may not be more than {TotalAnnotationSizeLimit} bytes", "metadata.annotations"));
            }
        }
    }

    /// <summary>IsQualifiedName: [prefix/]name with the name part at most 63 characters.</summary>
    public static IEnumerable<string> QualifiedNameProblems(string value)
    {
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    yield return "prefix part must be non-empty";
                }
                else
                {
                    if (prefix.Length > 253)
                    {
                        yield return "prefix part must be no more than 253 characters";
                    }

                    if (!Subdomain().IsMatch(prefix))
                    {
                        yield return "prefix part " + SubdomainError;
                    }
                }

                break;
            default:
                yield return QualifiedFormError;
                yield break;
        }

        if (name.Length == 0)
        {
            yield return "name part must be non-empty";
        }
        else if (name.Length > 63)
        {
            yield return "name part must be no more than 63 characters";
        }

        if (name.Length > 0 && !QualifiedName().IsMatch(name))
        {
            yield return QualifiedNameError;
        }
    }

    /// <summary>IsValidLabelValue.</summary>
    public static IEnumerable<string> LabelValueProblems(string value)
    {
        if (value.Length > 63)
        {
            yield return "must be no more than 63 characters";
        }

        if (!LabelValue().IsMatch(value))
        {
            yield return LabelValueError;
        }
    }

    private static (string, string, string) Invalid(string field, string value, string detail) =>
        ("FieldValueInvalid", $"Invalid value: {GoQuote.Quote(value)}: {detail}", field);

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
