using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>Builds the API server's error responses (texts follow kube-apiserver's wording).</summary>
internal static class StatusErrors
{
    /// <summary>404 NotFound for a named object.</summary>
    public static ApiException NotFound(ResourceId resource, string name) =>
        new(404, "NotFound", $"{resource.GroupResource} \"{name}\" not found") { Details = Details(resource, name) };

    /// <summary>409 AlreadyExists for a create of an existing name.</summary>
    public static ApiException AlreadyExists(ResourceId resource, string name) =>
        new(409, "AlreadyExists", $"{resource.GroupResource} \"{name}\" already exists") { Details = Details(resource, name) };

    /// <summary>409 Conflict for a stale resourceVersion or failed precondition.</summary>
    public static ApiException Conflict(ResourceId resource, string name, string why = "the object has been modified; please apply your changes to the latest version and try again") =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.GroupResource} \"{name}\": {why}") { Details = Details(resource, name) };

    /// <summary>422 Invalid with one cause per offending field.</summary>
    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<(string Reason, string Message, string Field)> causes)
    {
        var array = new JsonArray();
        foreach (var (reason, message, field) in causes)
        {
            array.Add(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field });
        }

        var text = string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}"));
        var shown = causes.Count == 1 ? text : $"[{text}]";
        var qualified = group.Length == 0 ? kind : $"{kind}.{group}";
        return new ApiException(422, "Invalid", $"{qualified} \"{name}\" is invalid: {shown}")
        {
            Details = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind, ["causes"] = array },
        };
    }

    /// <summary>400 BadRequest.</summary>
    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>405 MethodNotAllowed.</summary>
    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

    /// <summary>404 for a path that names no served resource.</summary>
    public static ApiException PathNotFound() => new(404, "NotFound", "the server could not find the requested resource");

    /// <summary>410 Expired for a watch or list from a compacted resourceVersion.</summary>
    public static ApiException Gone(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    /// <summary>415 for a patch or body type KubeSim does not accept.</summary>
    public static ApiException UnsupportedMediaType(string contentType, string accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {accepted} (got \"{contentType}\")");

    /// <summary>403 for creating content in a terminating namespace.</summary>
    public static ApiException NamespaceTerminating(ResourceId resource, string name, string ns) =>
        new(403, "Forbidden", $"{resource.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated")
        {
            Details = WithCause(Details(resource, name), "NamespaceTerminating", $"namespace {ns} is being terminated", "metadata.namespace"),
        };

    private static JsonObject WithCause(JsonObject details, string reason, string message, string field)
    {
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field });
        return details;
    }

    /// <summary>500 InternalError.</summary>
    public static ApiException Internal(string message) => new(500, "InternalError", message);

    /// <summary>Renders an error as a meta/v1 Status object (an empty reason is left out, as Go's omitempty does).</summary>
    public static JsonObject ToStatus(ApiException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
        };
        if (error.Reason.Length > 0)
        {
            status["reason"] = error.Reason;
        }

        status["details"] = error.Details?.DeepClone();
        status["code"] = error.Code;
        return status;
    }

    /// <summary>The Status returned by a delete that removed the object at once.</summary>
    public static JsonObject Success(ResourceId resource, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural, ["uid"] = uid },
    };

    private static JsonObject Details(ResourceId resource, string name) =>
        new() { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural };
}
