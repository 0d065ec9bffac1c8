using System.Text.Json.Nodes;
using KubeSim.Cel;
using Xunit;

namespace KubeSim.Tests.Cel;

/// <summary>CRD validation rules evaluated directly: each covered function, transition rules and the error shape.</summary>
public sealed class CelRuleTests
{
    private readonly CelRuleEvaluator cel = new();

    [Theory]
    [InlineData("has(self.name)")]
    [InlineData("!has(self.missing)")]
    [InlineData("size(self.tags) == 3 && self.tags.size() == 3")]
    [InlineData("self.tags.all(t, t.startsWith('t'))")]
    [InlineData("self.tags.exists(t, t == 't2')")]
    [InlineData("self.tags.exists_one(t, t.endsWith('3'))")]
    [InlineData("self.tags.map(t, t + '!').exists(t, t == 't1!')")]
    [InlineData("self.tags.filter(t, t != 't1').size() == 2")]
    [InlineData("self.name.contains('idg') && self.name.matches('^w[a-z]+$')")]
    [InlineData("self.replicas + 1 == 4 && self.ratio > 0.5")]
    [InlineData("self.labels.x == 'y' && 'x' in self.labels")]
    [InlineData("self.expires > timestamp('2020-01-01T00:00:00Z')")]
    [InlineData("self.window < duration('2h') && self.window > duration('30m')")]
    [InlineData("self.name.lowerAscii() == 'widget' && self.name.upperAscii() == 'WIDGET'")]
    [InlineData("self.csv.split(',') == ['a', 'b'] && ['a', 'b'].join('-') == 'a-b'")]
    [InlineData("self.name.indexOf('d') == 2 && self.name.lastIndexOf('g') == 3 && self.name.charAt(0) == 'w'")]
    [InlineData("self.name.substring(1, 3) == 'id' && self.name.replace('w', 'W') == 'Widget' && ' x '.trim() == 'x'")]
    [InlineData("self.numbers.isSorted() && self.numbers.sum() == 6 && self.numbers.min() == 1 && self.numbers.max() == 3")]
    [InlineData("self.numbers.indexOf(2) == 1")]
    [InlineData("self.tags.lastIndexOf('t3') == 2")]
    [InlineData("self.name.find('[dg]+') == 'dg' && self.name.findAll('[a-z]').size() == 6")]
    public void Covered_functions_evaluate_like_kubernetes(string rule)
    {
        var causes = cel.Validate(Object(), null, Schema(rule));

        Assert.Empty(causes);
    }

    [Fact]
    public void A_failing_rule_reports_the_field_type_and_message()
    {
        var causes = cel.Validate(Object(), null, Schema("self.replicas > 5", message: "replicas must exceed five"));

        var cause = Assert.Single(causes);
        Assert.Equal(("FieldValueInvalid", "Invalid value: \"object\": replicas must exceed five", "spec"), (cause.Reason, cause.Message, cause.Field));
    }

    [Fact]
    public void Without_a_message_the_rule_is_quoted_and_reason_and_fieldPath_are_honoured()
    {
        var plain = cel.Validate(Object(), null, Schema("self.replicas > 5"));
        var forbidden = cel.Validate(Object(), null, Schema("self.replicas > 5", message: "too few", reason: "FieldValueForbidden", fieldPath: ".replicas"));

        Assert.Equal("Invalid value: \"object\": failed rule: self.replicas > 5", Assert.Single(plain).Message);
        var cause = Assert.Single(forbidden);
        Assert.Equal(("FieldValueForbidden", "Forbidden: too few", "spec.replicas"), (cause.Reason, cause.Message, cause.Field));
    }

    [Fact]
    public void Message_expression_builds_the_message_from_self()
    {
        var schema = Schema("self.replicas > 5");
        schema["properties"]!["spec"]!["x-kubernetes-validations"]![0]!["messageExpression"] = "'replicas is ' + string(self.replicas) + ', need more than 5'";

        Assert.Equal("Invalid value: \"object\": replicas is 3, need more than 5", Assert.Single(cel.Validate(Object(), null, schema)).Message);
    }

    [Fact]
    public void A_rule_that_fails_at_run_time_is_an_error_naming_the_rule_not_a_crash()
    {
        var causes = cel.Validate(Object(), null, Schema("self.replicas / 0 == 1"));

        Assert.Equal("Invalid value: \"object\": division by zero evaluating rule: self.replicas / 0 == 1", Assert.Single(causes).Message);
    }

    [Fact]
    public void Transition_rule_runs_only_on_update_when_the_old_value_exists()
    {
        var schema = Schema("self.name == oldSelf.name", message: "name is immutable");
        var changed = Object();
        changed["spec"]!["name"] = "gadget";

        Assert.Empty(cel.Validate(changed, null, schema));
        Assert.Empty(cel.Validate(Object(), Object(), schema));
        var cause = Assert.Single(cel.Validate(changed, Object(), schema));
        Assert.Equal("Invalid value: \"object\": name is immutable", cause.Message);
        var withoutSpec = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget" };
        Assert.Empty(cel.Validate(changed, withoutSpec, schema));
    }

    [Fact]
    public void Whole_object_and_list_equality_with_oldSelf()
    {
        var schema = Schema("self == oldSelf");
        var changed = Object();
        changed["spec"]!["tags"]!.AsArray().Add("t4");

        Assert.Empty(cel.Validate(Object(), Object(), schema));
        Assert.Single(cel.Validate(changed, Object(), schema));
    }

    [Fact]
    public void Optional_old_self_runs_on_create_with_an_empty_optional()
    {
        var schema = Schema("!oldSelf.hasValue() || self.replicas >= oldSelf.value().replicas", message: "replicas may not shrink");
        schema["properties"]!["spec"]!["x-kubernetes-validations"]![0]!["optionalOldSelf"] = true;
        var shrunk = Object();
        shrunk["spec"]!["replicas"] = 1;

        Assert.Empty(cel.Validate(Object(), null, schema));
        Assert.Equal("Invalid value: \"object\": replicas may not shrink", Assert.Single(cel.Validate(shrunk, Object(), schema)).Message);
    }

    [Fact]
    public void Rules_at_the_root_are_reported_on_the_nil_path_and_see_only_name_in_metadata()
    {
        var schema = Schema("true");
        schema["x-kubernetes-validations"] = new JsonArray(
            new JsonObject { ["rule"] = "self.metadata.name.startsWith('w')" },
            new JsonObject { ["rule"] = "!has(self.metadata.labels)", ["message"] = "labels are not visible to rules" },
            new JsonObject { ["rule"] = "self.spec.replicas < 2", ["message"] = "too many" });

        var cause = Assert.Single(cel.Validate(Object(), null, schema));

        Assert.Equal(("<nil>", "Invalid value: \"object\": too many"), (cause.Field, cause.Message));
    }

    [Fact]
    public void List_type_map_items_correlate_with_old_items_by_key()
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["ports"] = new JsonObject
                {
                    ["type"] = "array",
                    ["x-kubernetes-list-type"] = "map",
                    ["x-kubernetes-list-map-keys"] = new JsonArray("name"),
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string" }, ["port"] = new JsonObject { ["type"] = "integer" } },
                        ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self.port == oldSelf.port", ["message"] = "port is immutable" }),
                    },
                },
            },
        };
        var old = JsonNode.Parse("""{"ports":[{"name":"a","port":1},{"name":"b","port":2}]}""")!.AsObject();
        var reordered = JsonNode.Parse("""{"ports":[{"name":"b","port":2},{"name":"a","port":1},{"name":"c","port":9}]}""")!.AsObject();
        var changed = JsonNode.Parse("""{"ports":[{"name":"a","port":5}]}""")!.AsObject();

        Assert.Empty(cel.Validate(reordered, old, schema));
        var cause = Assert.Single(cel.Validate(changed, old, schema));
        Assert.Equal("ports[0]", cause.Field);
    }

    [Fact]
    public void Rules_that_do_not_compile_are_reported_with_their_schema_path()
    {
        var errors = cel.CompileErrors(Schema("self.replicas >"), "spec.versions[0].schema.openAPIV3Schema").ToList();

        var error = Assert.Single(errors);
        Assert.Equal("spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule", error.Field);
        Assert.StartsWith("Invalid value: \"self.replicas >\": compilation failed:", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Object() => JsonNode.Parse("""
        {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1","labels":{"a":"b"}},
         "spec":{"name":"widget","replicas":3,"ratio":0.75,"tags":["t1","t2","t3"],"labels":{"x":"y"},
                 "expires":"2030-01-01T00:00:00Z","window":"1h","csv":"a,b","numbers":[1,2,3]}}
        """)!.AsObject();

    private static JsonObject Schema(string rule, string? message = null, string? reason = null, string? fieldPath = null)
    {
        var validation = new JsonObject { ["rule"] = rule };
        if (message is not null)
        {
            validation["message"] = message;
        }

        if (reason is not null)
        {
            validation["reason"] = reason;
        }

        if (fieldPath is not null)
        {
            validation["fieldPath"] = fieldPath;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["type"] = "object",
                    ["x-kubernetes-validations"] = new JsonArray(validation),
                    ["properties"] = new JsonObject
                    {
                        ["name"] = new JsonObject { ["type"] = "string" },
                        ["replicas"] = new JsonObject { ["type"] = "integer" },
                        ["ratio"] = new JsonObject { ["type"] = "number" },
                        ["tags"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                        ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
                        ["expires"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                        ["window"] = new JsonObject { ["type"] = "string", ["format"] = "duration" },
                        ["csv"] = new JsonObject { ["type"] = "string" },
                        ["numbers"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "integer" } },
                    },
                },
            },
        };
    }
}
