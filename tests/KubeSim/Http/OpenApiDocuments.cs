using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeSim.Http;

/// <summary>
/// OpenAPI v3 as kubectl reads it: an index of group-versions and one document per group-version whose PATCH
/// operations carry x-kubernetes-group-version-kind and a fieldValidation parameter (so kubectl apply uses
/// server-side validation), with kind schemas under components.schemas (CRD schemas in full, for kubectl explain).
/// </summary>
internal static class OpenApiDocuments
{
    private const string ObjectMetaSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        var groupVersions = registry.All.Select(d => (d.Group, d.Version)).Distinct();
        foreach (var (group, version) in groupVersions)
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(Document(registry, group, version))}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject Document(ResourceRegistry registry, string group, string version)
    {
        var definitions = registry.All.Where(d => d.Group == group && d.Version == version).ToList();
        if (definitions.Count == 0)
        {
            throw StatusErrors.PathNotFound();
        }

        var paths = new JsonObject();
        var schemas = new JsonObject { [ObjectMetaSchema] = ObjectMeta() };
        foreach (var d in definitions)
        {
            var schemaName = SchemaName(d);
            schemas[schemaName] = KindSchema(d);
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var scope = d.Namespaced ? "/namespaces/{namespace}" : "";
            var collection = $"{prefix}{scope}/{d.Plural}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", d, schemaName, false),
                ["post"] = Operation("post", d, schemaName, true),
                ["parameters"] = PathParameters(d.Namespaced, named: false),
            };
            paths[collection + "/{name}"] = ItemOperations(d, schemaName, withDelete: true);
            if (d.HasStatus)
            {
                paths[collection + "/{name}/status"] = ItemOperations(d, schemaName, withDelete: false);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (KubeSim)", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject ItemOperations(ResourceDefinition d, string schemaName, bool withDelete)
    {
        var operations = new JsonObject
        {
            ["get"] = Operation("get", d, schemaName, false),
            ["put"] = Operation("put", d, schemaName, true),
            ["patch"] = Operation("patch", d, schemaName, true),
            ["parameters"] = PathParameters(d.Namespaced, named: true),
        };
        if (withDelete)
        {
            operations["delete"] = Operation("delete", d, schemaName, false);
        }

        return operations;
    }

    private static JsonObject Operation(string action, ResourceDefinition d, string schemaName, bool write)
    {
        var parameters = new JsonArray();
        if (write)
        {
            parameters.Add(Query("dryRun", "When present, indicates that modifications should not be persisted."));
            parameters.Add(Query("fieldManager", "A name associated with the actor or entity that is making these changes."));
            parameters.Add(Query("fieldValidation", "Ignore, Warn or Strict: how the server treats unknown or duplicate fields."));
        }

        return new JsonObject
        {
            ["operationId"] = $"{action}{d.Kind}",
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = d.Group, ["version"] = d.Version, ["kind"] = d.Kind },
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject
                    {
                        ["application/json"] = new JsonObject { ["schema"] = Ref(schemaName) },
                    },
                },
            },
        };
    }

    private static JsonArray PathParameters(bool namespaced, bool named)
    {
        var parameters = new JsonArray();
        if (named)
        {
            parameters.Add(PathParameter("name", "name of the object"));
        }

        if (namespaced)
        {
            parameters.Add(PathParameter("namespace", "object name and auth scope, such as for teams and projects"));
        }

        return parameters;
    }

    private static JsonObject PathParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject Query(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject KindSchema(ResourceDefinition d)
    {
        var schema = d.Schema?.DeepClone() as JsonObject ?? new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"{d.Kind} (KubeSim serves built-in kinds without their full schema).",
            ["x-kubernetes-preserve-unknown-fields"] = true,
        };
        if (schema["properties"] is not JsonObject properties)
        {
            properties = new JsonObject();
            schema["properties"] = properties;
        }

        properties["apiVersion"] ??= new JsonObject
        {
            ["type"] = "string",
            ["description"] = "APIVersion defines the versioned schema of this representation of an object.",
        };
        properties["kind"] ??= new JsonObject
        {
            ["type"] = "string",
            ["description"] = "Kind is a string value representing the REST resource this object represents.",
        };
        properties["metadata"] = new JsonObject
        {
            ["description"] = "Standard object's metadata.",
            ["allOf"] = new JsonArray(Ref(ObjectMetaSchema)),
        };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = d.Group, ["kind"] = d.Kind, ["version"] = d.Version });
        return schema;
    }

    private static JsonObject ObjectMeta()
    {
        JsonObject Str(string description) => new() { ["type"] = "string", ["description"] = description };
        JsonObject Map(string description) => new()
        {
            ["type"] = "object",
            ["description"] = description,
            ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" },
        };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "ObjectMeta is metadata that all persisted resources must have.",
            ["properties"] = new JsonObject
            {
                ["name"] = Str("Name must be unique within a namespace."),
                ["generateName"] = Str("Optional prefix used by the server to generate a unique name."),
                ["namespace"] = Str("Namespace defines the space within which each name must be unique."),
                ["uid"] = Str("UID is the unique in time and space value for this object."),
                ["resourceVersion"] = Str("An opaque value that represents the internal version of this object."),
                ["creationTimestamp"] = Str("A timestamp representing the server time when this object was created."),
                ["deletionTimestamp"] = Str("RFC 3339 date and time at which this resource will be deleted."),
                ["generation"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "A sequence number representing a specific generation of the desired state." },
                ["labels"] = Map("Map of string keys and values that can be used to organize and categorize objects."),
                ["annotations"] = Map("Annotations is an unstructured key value map stored with a resource."),
                ["finalizers"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "Must be empty before the object is deleted from the registry.",
                    ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" },
                },
                ["ownerReferences"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "List of objects depended by this object.",
                    ["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
            },
        };
    }

    private static string SchemaName(ResourceDefinition d)
    {
        if (d.IsCustom)
        {
            return string.Join('.', d.Group.Split('.').Reverse()) + $".{d.Version}.{d.Kind}";
        }

        return d.Group switch
        {
            "" => $"io.k8s.api.core.{d.Version}.{d.Kind}",
            "apiextensions.k8s.io" => $"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{d.Version}.{d.Kind}",
            _ => $"io.k8s.api.{d.Group.Split('.')[0]}.{d.Version}.{d.Kind}",
        };
    }

    private static JsonObject Ref(string schemaName) => new() { ["$ref"] = $"#/components/schemas/{schemaName}" };

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString()))).ToUpperInvariant()[..32];
}
