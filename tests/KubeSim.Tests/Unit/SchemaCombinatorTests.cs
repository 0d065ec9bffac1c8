using System.Text.Json.Nodes;
using KubeSim.Schema;
using Xunit;

namespace KubeSim.Tests.Unit;

/// <summary>allOf, anyOf, oneOf and not as value validations of a structural schema.</summary>
public sealed class SchemaCombinatorTests
{
    private const string Schema = """
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "size":{"type":"integer","allOf":[{"minimum":1},{"maximum":10}]},
          "mode":{"type":"string","anyOf":[{"enum":["a","b"]},{"pattern":"^x-"}]},
          "pick":{"type":"object","properties":{"one":{"type":"string"},"two":{"type":"string"}},"oneOf":[{"required":["one"]},{"required":["two"]}]},
          "name":{"type":"string","not":{"enum":["admin"]}}}}}}
        """;

    [Fact]
    public void Valid_values_pass_every_combinator()
    {
        var result = Validate("""{"size":5,"mode":"x-custom","pick":{"two":"t"},"name":"alice"}""");

        Assert.Empty(result.Causes);
    }

    [Fact]
    public void Each_combinator_reports_its_failure_at_the_field()
    {
        var result = Validate("""{"size":11,"mode":"c","pick":{"one":"o","two":"t"},"name":"admin"}""");

        Assert.Equal(
        [
            ("spec.size", "Invalid value: 11: spec.size in body should be less than or equal to 10"),
            ("spec.mode", "Invalid value: \"c\": spec.mode in body must validate at least one schema (anyOf)"),
            ("spec.pick", "Invalid value: \"object\": spec.pick in body must validate one and only one schema (oneOf)"),
            ("spec.name", "Invalid value: \"admin\": spec.name in body must not validate the schema (not)"),
        ], result.Causes.Select(c => (c.Field, c.Message)));
    }

    [Fact]
    public void OneOf_with_no_branch_matching_fails_too()
    {
        var result = Validate("""{"pick":{}}""");

        Assert.Equal("spec.pick", Assert.Single(result.Causes).Field);
    }

    private static SchemaResult Validate(string spec) =>
        SchemaValidator.Validate(JsonNode.Parse($$"""{"apiVersion":"x/v1","kind":"X","spec":{{spec}}}""")!.AsObject(), JsonNode.Parse(Schema)!.AsObject(), strict: false);
}
