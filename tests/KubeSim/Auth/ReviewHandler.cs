using System.Text.Json.Nodes;
using KubeSim.Http;
using Microsoft.AspNetCore.Http;

namespace KubeSim;

/// <summary>
/// Answers <c>POST</c> of TokenReview and SubjectAccessReview the way kube-apiserver does: nothing is stored,
/// the request comes back 201 Created with <c>status</c> filled in. Answers come from <see cref="AuthTables"/>
/// (what a test set); a SubjectAccessReview the table has no entry for is judged by the stored RBAC objects.
/// </summary>
internal sealed class ReviewHandler(AuthTables tables, KubeSimIdentities identities, RbacAuthorizer rbac)
{
    public async Task HandleAsync(HttpContext context, ApiRoute route, string verb, CancellationToken ct)
    {
        var definition = route.Definition!;
        if (verb != "create" || route.Subresource is not null)
        {
            throw StatusErrors.MethodNotAllowed();
        }

        var review = await HttpIo.ReadObjectAsync(context, ct).ConfigureAwait(false);
        var kind = review["kind"]?.GetValue<string>();
        if (kind is not null && kind != definition.Kind)
        {
            throw StatusErrors.BadRequest($"the body of the request was of kind {kind}, expected {definition.Kind}");
        }

        var spec = review["spec"] as JsonObject ?? [];
        var status = definition.Id == AuthResources.TokenReviews.Id ? TokenReviewStatus(spec) : AccessReviewStatus(spec);
        review["apiVersion"] = definition.Id.ApiVersion;
        review["kind"] = definition.Kind;
        review["metadata"] ??= new JsonObject { ["creationTimestamp"] = null };
        review["status"] = status;
        await HttpIo.WriteAsync(context, 201, review, ct).ConfigureAwait(false);
    }

    private JsonObject TokenReviewStatus(JsonObject spec)
    {
        var token = spec["token"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token))
        {
            throw StatusErrors.BadRequest("token is required for TokenReview in authentication");
        }

        if (identities.Lookup(token) is not { } identity)
        {
            // kube-apiserver leaves authenticated out (false) and says why in error.
            return new JsonObject { ["user"] = new JsonObject(), ["error"] = "invalid bearer token" };
        }

        // A token bound to audiences authenticates only for a review asking for one of them, and the answer names
        // the ones both share; an audience-agnostic token echoes what was asked.
        var requested = (spec["audiences"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "").ToList();
        var audiences = identity.Audiences.Count == 0 ? requested
            : requested.Count == 0 ? [.. identity.Audiences]
            : [.. requested.Where(identity.Audiences.Contains)];
        if (identity.Audiences.Count > 0 && requested.Count > 0 && audiences.Count == 0)
        {
            return new JsonObject
            {
                ["user"] = new JsonObject(),
                ["error"] = $"[invalid bearer token, token audiences {GoQuoted(identity.Audiences)} is invalid for the target audiences {GoQuoted(requested)}]",
            };
        }

        var user = identity.User;
        var status = new JsonObject
        {
            ["authenticated"] = true,
            ["user"] = new JsonObject
            {
                ["username"] = user.Username,
                ["uid"] = user.Uid,
                ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)JsonValue.Create(g))]),
            },
            ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)JsonValue.Create(a))]),
        };
        if (user.Extra.Count > 0)
        {
            status["user"]!["extra"] = new JsonObject(user.Extra.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray([.. kv.Value.Select(v => (JsonNode)JsonValue.Create(v))]))));
        }

        return status;
    }

    // Go's %q of a []string: ["a" "b"].
    private static string GoQuoted(IEnumerable<string> values) =>
        "[" + string.Join(' ', values.Select(v => System.Text.Json.JsonSerializer.Serialize(v))) + "]";

    private JsonObject AccessReviewStatus(JsonObject spec)
    {
        var user = spec["user"]?.GetValue<string>() ?? "";
        var groups = spec["groups"] as JsonArray;
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        var causes = new List<(string Reason, string Message, string Field)>();
        if ((resource is null) == (nonResource is null))
        {
            causes.Add(("FieldValueInvalid", "exactly one of nonResourceAttributes or resourceAttributes must be specified", "spec.resourceAttributes"));
        }

        if (user.Length == 0 && (groups is null || groups.Count == 0))
        {
            causes.Add(("FieldValueInvalid", "at least one of user or group must be specified", "spec.user"));
        }

        if (causes.Count > 0)
        {
            throw StatusErrors.Invalid(AuthResources.AuthorizationGroup, AuthResources.SubjectAccessReviews.Kind, "", causes);
        }

        if (resource is null || user.Length == 0)
        {
            return ByRbac(user, spec, groups);
        }

        var ns = resource["namespace"]?.GetValue<string>();
        var request = new AccessAttributes(
            user,
            resource["verb"]?.GetValue<string>() ?? "",
            resource["group"]?.GetValue<string>() ?? "",
            resource["resource"]?.GetValue<string>() ?? "",
            string.IsNullOrEmpty(ns) ? null : ns);
        var scope = request.Namespace is null ? "cluster-wide" : $"in namespace {request.Namespace}";
        var what = $"{request.Verb} {request.Resource}{(request.Group.Length == 0 ? "" : "." + request.Group)} {scope}";
        return tables.Decide(request) switch
        {
            true => new JsonObject { ["allowed"] = true, ["reason"] = $"KubeSim access table allows {user} to {what}" },
            false => new JsonObject { ["allowed"] = false, ["denied"] = true, ["reason"] = $"KubeSim access table denies {user} to {what}" },
            null => ByRbac(user, spec, groups),
        };
    }

    private JsonObject ByRbac(string user, JsonObject spec, JsonArray? groups)
    {
        var allowed = rbac.Allows(user.Length == 0 ? null : user, AccessReviewHandler.Request(spec), (groups ?? []).Select(g => g?.GetValue<string>() ?? ""));
        return new JsonObject { ["allowed"] = allowed, ["reason"] = allowed ? "RBAC: allowed by the RBAC objects stored in KubeSim" : "no KubeSim access table entry or RBAC rule allows it" };
    }
}
