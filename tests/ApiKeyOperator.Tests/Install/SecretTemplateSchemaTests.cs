using System.Text.RegularExpressions;
using Xunit;

namespace ApiKeyOperator.Tests.Install;

/// <summary>
/// The rules config/crds puts on spec.secretTemplate are Kubernetes' own (apimachinery's IsQualifiedName and
/// IsValidLabelValue), checked here with the CRD's own patterns; the API itself applies them (integration tests).
/// </summary>
public sealed partial class SecretTemplateSchemaTests
{
    private static readonly YamlDotNet.RepresentationModel.YamlMappingNode Template = YamlNodes
        .LoadFile(RepoPaths.Combine("config", "crds", "apikeyoperator.io_apikeys.yaml")).Single()
        .Map("spec")!.Maps("versions")[0].Map("schema")!.Map("openAPIV3Schema")!.Map("properties")!.Map("spec")!
        .Map("properties")!.Map("secretTemplate")!.Map("properties")!;

    [Theory]
    [InlineData("team", true)]
    [InlineData("a", true)]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("example.com/Owner_Team.v2", true)]
    [InlineData("x-1.example-2.com/a", true)]
    [InlineData("has space", false)]
    [InlineData("-dash-first", false)]
    [InlineData("dash-last-", false)]
    [InlineData("UPPER.example.com/name", false)]
    [InlineData("too/many/slashes", false)]
    [InlineData("/no-prefix", false)]
    [InlineData("example.com/", false)]
    [InlineData("a-name-that-is-exactly-sixty-four-characters-long-which-is-1-over", false)]
    public void Keys_of_labels_and_annotations_are_qualified_names(string key, bool valid)
    {
        foreach (var field in new[] { "labels", "annotations" })
        {
            var rule = Template.Map(field)!.Maps("x-kubernetes-validations").Single().Str("rule")!;
            // The CEL string literal escapes the backslash; the regex it holds is RE2, which .NET reads the same here.
            var pattern = CelMatches().Match(rule).Groups["pattern"].Value.Replace(@"\\", @"\", StringComparison.Ordinal);
            Assert.Contains("size(k) <= 317", rule, StringComparison.Ordinal);
            Assert.Equal(valid, Regex.IsMatch(key, pattern) && key.Length <= 317);
        }
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("payments", true)]
    [InlineData("v1.2_3-x", true)]
    [InlineData("has space", false)]
    [InlineData("_leading", false)]
    [InlineData("trailing.", false)]
    public void Label_values_are_label_values(string value, bool valid)
    {
        var schema = Template.Map("labels")!.Map("additionalProperties")!;

        Assert.Equal("63", schema.Str("maxLength"));
        Assert.Equal(valid, Regex.IsMatch(value, schema.Str("pattern")!));
        Assert.Equal("64", Template.Map("labels")!.Str("maxProperties"));
        Assert.Equal("64", Template.Map("annotations")!.Str("maxProperties"));
    }

    [GeneratedRegex(@"matches\('(?<pattern>[^']+)'\)")]
    private static partial Regex CelMatches();
}
