using System.Text.Json.Nodes;
using KubeSim.Schema;
using Xunit;

namespace KubeSim.Tests.Unit;

public sealed class SchemaValidatorTests
{
    private const string ApiKeySchema = """
        {"type":"object","properties":{
          "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
          "spec":{"type":"object","required":["secretName"],"properties":{
            "secretName":{"type":"string","minLength":1,"maxLength":253},
            "format":{"type":"string","enum":["Token","ClientCredentials"],"default":"Token"},
            "prefix":{"type":"string","pattern":"^[a-z0-9_]*_$","default":"ak_"},
            "scopes":{"type":"array","maxItems":4,"items":{"type":"string","minLength":1},"x-kubernetes-list-type":"set"},
            "validity":{"type":"string","default":"8760h"},
            "expiresAt":{"type":"string","format":"date-time"},
            "replicas":{"type":"integer","minimum":1,"maximum":10},
            "ratio":{"type":"number","exclusiveMaximum":true,"maximum":1},
            "port":{"x-kubernetes-int-or-string":true},
            "note":{"type":"string","nullable":true},
            "rotation":{"type":"object","default":{},"properties":{
              "every":{"type":"string","pattern":"^[0-9]+(h|m|s|d)$"},
              "gracePeriod":{"type":"string","default":"1h"},
              "historyLimit":{"type":"integer","default":5}}},
            "rollout":{"type":"object","properties":{
              "autoDiscover":{"type":"boolean","default":true},
              "targets":{"type":"array","minItems":1,"items":{"type":"object","required":["kind","name"],"properties":{
                "kind":{"type":"string","enum":["Deployment","StatefulSet","DaemonSet"]},
                "name":{"type":"string"},
                "weight":{"type":"integer","default":1}}}}}},
            "secretTemplate":{"type":"object","properties":{
              "labels":{"type":"object","additionalProperties":{"type":"string"}},
              "annotations":{"type":"object","additionalProperties":{"type":"string"}}}},
            "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"known":{"type":"string"}}}}},
          "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}
        """;

    private static SchemaResult Validate(string obj, bool strict = false) =>
        SchemaValidator.Validate(JsonNode.Parse(obj)!.AsObject(), JsonNode.Parse(ApiKeySchema)!.AsObject(), strict);

    private static string WithSpec(string spec) =>
        """{"apiVersion":"apikeyoperator.io/v1alpha1","kind":"ApiKey","metadata":{"name":"k","namespace":"n","labels":{"a":"b"}},"spec":""" + spec + "}";

    private static SchemaCause SingleCause(string spec)
    {
        var result = Validate(WithSpec(spec));
        return Assert.Single(result.Causes);
    }

    [Fact]
    public void ValidObjectGetsDefaultsAndNoCauses()
    {
        var result = Validate(WithSpec("""{"secretName":"s"}"""));

        Assert.Empty(result.Causes);
        Assert.Empty(result.UnknownFields);
        Assert.True(result.IsValid);
        var spec = result.Object["spec"]!;
        Assert.Equal("Token", (string?)spec["format"]);
        Assert.Equal("ak_", (string?)spec["prefix"]);
        Assert.Equal("8760h", (string?)spec["validity"]);
        Assert.Equal("""{"gracePeriod":"1h","historyLimit":5}""", spec["rotation"]!.ToJsonString());
        Assert.False(spec.AsObject().ContainsKey("rollout"));
        Assert.Equal("""{"name":"k","namespace":"n","labels":{"a":"b"}}""", result.Object["metadata"]!.ToJsonString());
    }

    [Fact]
    public void DefaultsApplyInsidePresentNestedObjectsAndArrayItems()
    {
        var result = Validate(WithSpec("""{"secretName":"s","rotation":{"every":"24h"},"rollout":{"targets":[{"kind":"Deployment","name":"a"},{"kind":"StatefulSet","name":"b","weight":3}]}}"""));

        Assert.Empty(result.Causes);
        var spec = result.Object["spec"]!;
        Assert.Equal("""{"every":"24h","gracePeriod":"1h","historyLimit":5}""", spec["rotation"]!.ToJsonString());
        Assert.True((bool)spec["rollout"]!["autoDiscover"]!);
        Assert.Equal(1, (int)spec["rollout"]!["targets"]![0]!["weight"]!);
        Assert.Equal(3, (int)spec["rollout"]!["targets"]![1]!["weight"]!);
    }

    [Fact]
    public void ExplicitValuesAreNotOverwrittenByDefaults()
    {
        var result = Validate(WithSpec("""{"secretName":"s","format":"ClientCredentials","prefix":"tork_live_"}"""));

        Assert.Equal("ClientCredentials", (string?)result.Object["spec"]!["format"]);
        Assert.Equal("tork_live_", (string?)result.Object["spec"]!["prefix"]);
    }

    [Fact]
    public void NullOfNonNullableFieldIsPrunedThenDefaulted()
    {
        var result = Validate(WithSpec("""{"secretName":"s","format":null,"expiresAt":null,"note":null}"""));

        Assert.Empty(result.Causes);
        var spec = result.Object["spec"]!.AsObject();
        Assert.Equal("Token", (string?)spec["format"]);
        Assert.False(spec.ContainsKey("expiresAt"));
        Assert.True(spec.ContainsKey("note"));
        Assert.Null(spec["note"]);
    }

    [Fact]
    public void UnknownFieldsArePrunedAndReported()
    {
        var result = Validate("""
            {"apiVersion":"apikeyoperator.io/v1alpha1","kind":"ApiKey","metadata":{"name":"k","anything":1},"topLevel":1,
             "spec":{"secretName":"s","foo":1,"rollout":{"targets":[{"kind":"Deployment","name":"a","bogus":true}]}}}
            """, strict: true);

        Assert.Equal(["topLevel", "spec.foo", "spec.rollout.targets[0].bogus"], result.UnknownFields);
        Assert.False(result.Object.ContainsKey("topLevel"));
        Assert.False(result.Object["spec"]!.AsObject().ContainsKey("foo"));
        Assert.False(result.Object["spec"]!["rollout"]!["targets"]![0]!.AsObject().ContainsKey("bogus"));
        Assert.Equal(1, (int)result.Object["metadata"]!["anything"]!);
        Assert.Empty(result.Causes);
    }

    [Fact]
    public void PreserveUnknownFieldsKeepsUnknownButPrunesNothingBelowIt()
    {
        var result = Validate("""
            {"kind":"ApiKey","spec":{"secretName":"s","extra":{"known":"x","free":{"deep":[1,2]}}},"status":{"anything":{"goes":true}}}
            """);

        Assert.Empty(result.UnknownFields);
        Assert.Equal("""{"known":"x","free":{"deep":[1,2]}}""", result.Object["spec"]!["extra"]!.ToJsonString());
        Assert.Equal("""{"anything":{"goes":true}}""", result.Object["status"]!.ToJsonString());
    }

    [Fact]
    public void MapValuesAreKeptAndValidated()
    {
        var result = Validate(WithSpec("""{"secretName":"s","secretTemplate":{"labels":{"team":"payments","n":3}}}"""));

        Assert.Empty(result.UnknownFields);
        var cause = Assert.Single(result.Causes);
        Assert.Equal("FieldValueTypeInvalid", cause.Reason);
        Assert.Equal("spec.secretTemplate.labels[n]", cause.Field);
        Assert.Equal("payments", (string?)result.Object["spec"]!["secretTemplate"]!["labels"]!["team"]);
    }

    [Fact]
    public void MissingRequiredField()
    {
        var cause = SingleCause("{}");

        Assert.Equal(new SchemaCause("FieldValueRequired", "Required value", "spec.secretName"), cause);
    }

    [Fact]
    public void RequiredFieldInArrayItem()
    {
        var cause = SingleCause("""{"secretName":"s","rollout":{"targets":[{"kind":"Deployment","name":"a"},{"kind":"Deployment"}]}}""");

        Assert.Equal(new SchemaCause("FieldValueRequired", "Required value", "spec.rollout.targets[1].name"), cause);
    }

    [Fact]
    public void EnumViolation()
    {
        var cause = SingleCause("""{"secretName":"s","format":"Foo"}""");

        Assert.Equal(new SchemaCause("FieldValueNotSupported", "Unsupported value: \"Foo\": supported values: \"Token\", \"ClientCredentials\"", "spec.format"), cause);
    }

    [Fact]
    public void PatternViolation()
    {
        var cause = SingleCause("""{"secretName":"s","prefix":"Bad-"}""");

        Assert.Equal(new SchemaCause("FieldValueInvalid", "Invalid value: \"Bad-\": spec.prefix in body should match '^[a-z0-9_]*_$'", "spec.prefix"), cause);
    }

    [Fact]
    public void PatternViolationInNestedObject()
    {
        var cause = SingleCause("""{"secretName":"s","rotation":{"every":"often"}}""");

        Assert.Equal("spec.rotation.every", cause.Field);
        Assert.Equal("FieldValueInvalid", cause.Reason);
    }

    [Fact]
    public void MinLengthViolation()
    {
        var cause = SingleCause("""{"secretName":""}""");

        Assert.Equal(new SchemaCause("FieldValueInvalid", "Invalid value: \"\": spec.secretName in body should be at least 1 chars long", "spec.secretName"), cause);
    }

    [Fact]
    public void MaxLengthViolationCountsCharactersNotBytes()
    {
        Assert.Empty(Validate(WithSpec($$"""{"secretName":"{{new string('é', 253)}}"}""")).Causes);

        var cause = SingleCause($$"""{"secretName":"{{new string('a', 254)}}"}""");
        Assert.Equal(new SchemaCause("FieldValueTooLong", "Too long: may not be more than 253 bytes", "spec.secretName"), cause);
    }

    [Fact]
    public void MaxItemsViolation()
    {
        var cause = SingleCause("""{"secretName":"s","scopes":["a","b","c","d","e"]}""");

        Assert.Equal(new SchemaCause("FieldValueTooMany", "Too many: 5: must have at most 4 items", "spec.scopes"), cause);
    }

    [Fact]
    public void MinItemsViolation()
    {
        var cause = SingleCause("""{"secretName":"s","rollout":{"targets":[]}}""");

        Assert.Equal(new SchemaCause("FieldValueInvalid", "Invalid value: 0: spec.rollout.targets in body should have at least 1 items", "spec.rollout.targets"), cause);
    }

    [Fact]
    public void ArrayItemViolationNamesTheIndex()
    {
        var cause = SingleCause("""{"secretName":"s","scopes":["a","b","c",""]}""");

        Assert.Equal("spec.scopes[3]", cause.Field);
        Assert.Equal("Invalid value: \"\": spec.scopes[3] in body should be at least 1 chars long", cause.Message);
    }

    [Fact]
    public void DuplicateInSetList()
    {
        var cause = SingleCause("""{"secretName":"s","scopes":["a","b","a"]}""");

        Assert.Equal(new SchemaCause("FieldValueDuplicate", "Duplicate value: \"a\"", "spec.scopes[2]"), cause);
    }

    [Theory]
    [InlineData("0", "Invalid value: 0: spec.replicas in body should be greater than or equal to 1")]
    [InlineData("11", "Invalid value: 11: spec.replicas in body should be less than or equal to 10")]
    public void NumericBounds(string replicas, string message)
    {
        var cause = SingleCause($$"""{"secretName":"s","replicas":{{replicas}}}""");

        Assert.Equal(new SchemaCause("FieldValueInvalid", message, "spec.replicas"), cause);
    }

    [Fact]
    public void ExclusiveMaximum()
    {
        Assert.Empty(Validate(WithSpec("""{"secretName":"s","ratio":0.5}""")).Causes);

        var cause = SingleCause("""{"secretName":"s","ratio":1}""");
        Assert.Equal("Invalid value: 1: spec.ratio in body should be less than 1", cause.Message);
    }

    [Theory]
    [InlineData("\"three\"", "string")]
    [InlineData("1.5", "number")]
    [InlineData("true", "boolean")]
    [InlineData("{}", "object")]
    [InlineData("[]", "array")]
    public void TypeMismatch(string value, string actual)
    {
        var cause = SingleCause($$"""{"secretName":"s","replicas":{{value}}}""");

        Assert.Equal(new SchemaCause("FieldValueTypeInvalid", $"Invalid value: \"{actual}\": spec.replicas in body must be of type integer: \"{actual}\"", "spec.replicas"), cause);
    }

    [Fact]
    public void IntegralNumberWithFractionSyntaxIsAnInteger()
    {
        Assert.Empty(Validate(WithSpec("""{"secretName":"s","replicas":2.0}""")).Causes);
    }

    [Fact]
    public void TypeMismatchStopsDescent()
    {
        var cause = SingleCause("""{"secretName":"s","rotation":"weekly"}""");

        Assert.Equal("spec.rotation", cause.Field);
        Assert.Equal("Invalid value: \"string\": spec.rotation in body must be of type object: \"string\"", cause.Message);
    }

    [Theory]
    [InlineData("2027-06-30T00:00:00Z", true)]
    [InlineData("2027-06-30T00:00:00.123+02:00", true)]
    [InlineData("2027-06-30", false)]
    [InlineData("2027-13-30T00:00:00Z", false)]
    [InlineData("soon", false)]
    public void DateTimeFormat(string value, bool valid)
    {
        var result = Validate(WithSpec($$"""{"secretName":"s","expiresAt":"{{value}}"}"""));

        if (valid)
        {
            Assert.Empty(result.Causes);
        }
        else
        {
            var cause = Assert.Single(result.Causes);
            Assert.Equal(new SchemaCause("FieldValueTypeInvalid", $"Invalid value: \"{value}\": spec.expiresAt in body must be of type date-time: \"{value}\"", "spec.expiresAt"), cause);
        }
    }

    [Theory]
    [InlineData("8080", true)]
    [InlineData("\"http\"", true)]
    [InlineData("true", false)]
    [InlineData("1.5", false)]
    public void IntOrString(string value, bool valid)
    {
        var result = Validate(WithSpec($$"""{"secretName":"s","port":{{value}}}"""));

        Assert.Equal(valid, result.Causes.Count == 0);
    }

    [Fact]
    public void NullArrayItemIsATypeError()
    {
        var cause = SingleCause("""{"secretName":"s","scopes":["a",null]}""");

        Assert.Equal(new SchemaCause("FieldValueTypeInvalid", "Invalid value: \"null\": spec.scopes[1] in body must be of type string: \"null\"", "spec.scopes[1]"), cause);
    }

    [Fact]
    public void ReportsEveryCause()
    {
        var result = Validate(WithSpec("""{"format":"Foo","prefix":"X","replicas":0,"rollout":{"targets":[{"kind":"Job","name":"j"}]}}"""));

        Assert.Equal(
            ["spec.secretName", "spec.format", "spec.prefix", "spec.replicas", "spec.rollout.targets[0].kind"],
            result.Causes.Select(c => c.Field));
    }

    [Fact]
    public void MetaFieldsAreOnlyTypeChecked()
    {
        var result = Validate("""{"apiVersion":1,"kind":"ApiKey","metadata":"x","spec":{"secretName":"s"}}""");

        Assert.Equal(["apiVersion", "metadata"], result.Causes.Select(c => c.Field));
        Assert.Empty(result.UnknownFields);
    }

    [Fact]
    public void DoesNotModifyInput()
    {
        var input = JsonNode.Parse(WithSpec("""{"secretName":"s","foo":1}"""))!.AsObject();
        var before = input.ToJsonString();

        SchemaValidator.Validate(input, JsonNode.Parse(ApiKeySchema)!.AsObject(), strict: false);

        Assert.Equal(before, input.ToJsonString());
    }

    [Fact]
    public void ObjectWithoutPropertiesOrPreserveIsPrunedEmpty()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"spec":{"type":"object"}}}""")!.AsObject();

        var result = SchemaValidator.Validate(JsonNode.Parse("""{"spec":{"a":1}}""")!.AsObject(), schema, strict: true);

        Assert.Equal("{}", result.Object["spec"]!.ToJsonString());
        Assert.Equal(["spec.a"], result.UnknownFields);
    }

    [Fact]
    public void EmbeddedResourceKeepsItsMetaFields()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{"template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"data":{"type":"string"}}}}}}}
            """)!.AsObject();

        var result = SchemaValidator.Validate(JsonNode.Parse("""{"spec":{"template":{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"},"data":"d","other":1}}}""")!.AsObject(), schema, strict: true);

        Assert.Equal("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"},"data":"d"}""", result.Object["spec"]!["template"]!.ToJsonString());
        Assert.Equal(["spec.template.other"], result.UnknownFields);
    }

    [Fact]
    public void DuplicateKeysInListTypeMap()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"status":{"type":"object","properties":{"conditions":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["type"],
              "items":{"type":"object","properties":{"type":{"type":"string"},"status":{"type":"string"}}}}}}}}
            """)!.AsObject();
        var obj = JsonNode.Parse("""{"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Stalled","status":"False"},{"type":"Ready","status":"False"}]}}""")!.AsObject();

        var cause = Assert.Single(SchemaValidator.Validate(obj, schema, strict: true).Causes);

        Assert.Equal(new SchemaCause("FieldValueDuplicate", "Duplicate value: map[string]interface {}{\"type\":\"Ready\"}", "status.conditions[2]"), cause);
    }

    [Fact]
    public void CelValidationRulesAreIgnored()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rule":"false","message":"never"}],"properties":{"a":{"type":"string"}}}}}
            """)!.AsObject();

        Assert.Empty(SchemaValidator.Validate(JsonNode.Parse("""{"spec":{"a":"x"}}""")!.AsObject(), schema, strict: true).Causes);
    }
}
