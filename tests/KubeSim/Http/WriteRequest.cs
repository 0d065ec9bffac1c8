using Microsoft.AspNetCore.Http;

namespace KubeSim.Http;

/// <summary>
/// The write options of a request as kube-apiserver reads them: fieldManager (else the User-Agent's program
/// name), dryRun and force, validated with the API server's errors.
/// </summary>
internal static class WriteRequest
{
    private const int FieldManagerMaxLength = 128;

    public static WriteContext Context(HttpContext context, string verb, string subresource, bool apply)
    {
        var optionsKind = verb switch { "create" => "CreateOptions", "update" => "UpdateOptions", _ => "PatchOptions" };
        var explicitManager = HttpIo.Query(context, "fieldManager") ?? "";
        var causes = new List<(string Reason, string Message, string Field)>();
        if (apply && explicitManager.Length == 0)
        {
            causes.Add(("FieldValueRequired", "Required value: is required for apply patch", "fieldManager"));
        }

        if (!apply && HttpIo.Query(context, "force") is not null && verb == "patch")
        {
            causes.Add(("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force"));
        }

        if (explicitManager.Length > FieldManagerMaxLength)
        {
            causes.Add(("FieldValueTooLong", $"Too long: may not be more than {FieldManagerMaxLength} bytes", "fieldManager"));
        }

        var unprintable = explicitManager.Select((c, i) => (c, i)).FirstOrDefault(x => char.IsControl(x.c));
        if (unprintable.c != default)
        {
            causes.Add(("FieldValueInvalid", $"Invalid value: \"{explicitManager}\": invalid character U+{(int)unprintable.c:X4} (at position {unprintable.i})", "fieldManager"));
        }

        var dryRun = HttpIo.Query(context, "dryRun");
        if (dryRun is not null && dryRun != "All")
        {
            causes.Add(("FieldValueNotSupported", $"Unsupported value: \"{dryRun}\": supported values: \"All\"", "dryRun"));
        }

        if (causes.Count > 0)
        {
            throw StatusErrors.Invalid("meta.k8s.io", optionsKind, "", causes);
        }

        var manager = explicitManager.Length > 0 ? explicitManager : FromUserAgent(context.Request.Headers.UserAgent.FirstOrDefault());
        return new WriteContext(manager, subresource, DryRun: dryRun == "All");
    }

    /// <summary>Whether ?force=true was given (only meaningful for apply).</summary>
    public static bool Force(HttpContext context) => HttpIo.QueryFlag(context, "force");

    // kube-apiserver names an unnamed manager after the client program: "kubectl/v1.32 (linux/amd64)" is "kubectl".
    private static string FromUserAgent(string? userAgent)
    {
        var program = (userAgent ?? "").Split('/')[0];
        return program.Length > FieldManagerMaxLength ? program[..FieldManagerMaxLength] : program;
    }
}
