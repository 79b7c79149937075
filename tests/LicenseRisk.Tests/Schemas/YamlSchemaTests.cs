using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Tests.Schemas;

/// <summary>
/// The JSON Schemas in schemas/ (what editors use through the yaml-language-server line) accept
/// every bundled and sample YAML file, and reject broken ones.
/// </summary>
public sealed class YamlSchemaTests
{
    private const string Marker = "# yaml-language-server: $schema=";

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    public static TheoryData<string> YamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "rules", "samples" })
        {
            foreach (var f in Directory.EnumerateFiles(Repo.Path(dir), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void EveryBundledAndSampleFile_NamesItsSchemaOnLineOne_AndIsValid(string file)
    {
        var path = Repo.Path(file);
        var first = File.ReadLines(path).First();
        first.ShouldStartWith(Marker);
        var schemaPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, first[Marker.Length..].Trim()));
        Path.GetDirectoryName(schemaPath).ShouldBe(Repo.Path("schemas"));
        File.Exists(schemaPath).ShouldBeTrue(schemaPath);

        Errors(schemaPath, ToJson(File.ReadAllText(path))).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("vendor:\n  id: acme\n  name: Acme\n  founded: 2020\n", "unknown key in vendor")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: closed\n", "enum value the kind does not declare")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    weights: open\n", "missing required field")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: open\n    seniority: lead\n", "field of another kind")]
    [InlineData("signals:\n  - kind: relase\n    date: 2026-01-01\n", "undeclared kind")]
    [InlineData("signals:\n  - kind: closed_lab_leadership\n    date: 2026-01-01\n", "derived kind in a dossier")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026-01-01\n    stance: pro_open\n    confidence: 1.5\n", "confidence above 1")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026/01/01\n    stance: pro_open\n", "date not YYYY-MM-DD")]
    [InlineData("signals:\n  - kind: layoff\n    date: 2026-01-01\n    count: many\n", "int field given text")]
    public void ABrokenDossier_FailsTheDossierSchema(string broken, string why)
    {
        var text = broken.StartsWith("vendor:", StringComparison.Ordinal)
            ? broken + "signals: []\n"
            : "vendor: { id: acme, name: Acme }\n" + broken;
        Errors(Repo.Path("schemas/dossier.schema.json"), ToJson(text)).ShouldNotBeEmpty(why);
    }

    [Fact]
    public void ADossierWithExtraAndEveryOptionalPart_IsValid()
    {
        var text = """
            vendor: { id: acme, name: Acme, tags: [x], extra: { anything: [1, 2] } }
            signals:
              - { kind: release, date: 2026-01-01, model: 7, weights: open, params_b: 7.5, extra: { free: form } }
              - { kind: layoff, date: 2026-01-02, count: 3, share: 0.1, confidence: 0.5, id: l1, note: n, source: s }
            case: { as_of: 2026-03-01, horizon_months: 12, went_api_only: false }
            """;
        Errors(Repo.Path("schemas/dossier.schema.json"), ToJson(text)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    when: [{ signal: release }]\n", "no weight and no derive")]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    weight: 1\n    when: [{ signal: release, no: release }]\n", "two heads in one item")]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    weight: 1\n    when: [{ count: release }]\n", "count without at_least or at_most")]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    weight: 1\n    when: [{ signal: release, at_least: 1 }]\n", "at_least on a signal item")]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    weight: 1\n    when: [{ sum: release }]\n    \n", "sum without KIND.FIELD")]
    [InlineData("rules.schema.json", "rules:\n  - id: R_1\n    title: t\n    weight: 1\n    when: [{ signal: release }]\n", "bad rule id")]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    weight: 1\n    when: [{ signal: release }]\n    because_: x\n", "unknown rule key")]
    [InlineData("pack.schema.json", "pack: { name: p, version: 1 }\nmodel: { prior: 1.2 }\n", "prior above 1")]
    [InlineData("signals.schema.json", "kinds:\n  k:\n    fields:\n      f: { type: enum }\n", "enum without values")]
    [InlineData("signals.schema.json", "kinds:\n  k:\n    fields:\n      date: { type: string }\n", "a common field declared")]
    [InlineData("rule-tests.schema.json", "tests:\n  - name: t\n    as_of: 2026-01-01\n    signals: []\n    expect: { fire: [r] }\n", "unknown expect key")]
    [InlineData("rule-tests.schema.json", "tests:\n  - name: t\n    as_of: 2026-01-01\n    signals: []\n    expect: { probability: { at_leest: 0.2 } }\n", "unknown bounds key")]
    [InlineData("policy.schema.json", "waivers:\n  - vendor: qwen\n    rule: r\n    reason: x\n    approver: y\n", "waiver without expiry")]
    [InlineData("policy.schema.json", "prior: 1.5\n", "prior above 1")]
    [InlineData("policy.schema.json", "thresholds: { fail_over: 0.5 }\n", "unknown thresholds key")]
    public void ABrokenPackFile_FailsItsSchema(string schema, string broken, string why) =>
        Errors(Repo.Path("schemas/" + schema), ToJson(broken)).ShouldNotBeEmpty(why);

    [Fact]
    public void TheDossierSchemasKinds_AreTheBundledPacksWrittenKinds()
    {
        var diags = new DiagnosticBag();
        var pack = PackCompiler.Load(Repo.Path("rules"), diags).ShouldNotBeNull();
        var written = pack.Catalog.Kinds.Where(k => !k.Derived).Select(k => k.Name).ToList();
        foreach (var file in new[] { "dossier.schema.json", "rule-tests.schema.json" })
        {
            var schema = JsonNode.Parse(File.ReadAllText(Repo.Path("schemas/" + file)))!;
            var signal = schema["$defs"]!["signal"]!;
            signal["properties"]!["kind"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(written, file);
            var branches = signal["allOf"]!.AsArray();
            foreach (var kind in pack.Catalog.Kinds.Where(k => !k.Derived))
            {
                var then = branches.Single(b => b!["if"]!["properties"]!["kind"]!["const"]!.GetValue<string>() == kind.Name)!["then"]!;
                then["properties"]!.AsObject().Select(p => p.Key).ShouldBe(kind.Fields.Select(f => f.Name), kind.Name);
                (then["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? []).ShouldBe(kind.Fields.Where(f => f.Required).Select(f => f.Name), kind.Name);
            }
        }
    }

    [Fact]
    public void ToJson_TypesPlainScalars_LikeTheReader()
    {
        var json = ToJson("a: 1\nb: 1.5\nc: true\nd: '1'\ne: 2026-03-05\nf: ~\ng: text\nh: \"false\"\n")!.ToJsonString();
        json.ShouldBe("""{"a":1,"b":1.5,"c":true,"d":"1","e":"2026-03-05","f":null,"g":"text","h":"false"}""");
    }

    /// <summary>YAML to JSON: plain scalars that read as numbers or booleans become them; dates and quoted scalars stay strings.</summary>
    public static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
            YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
            YamlScalarNode s => Scalar(s),
            _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
        };

        static JsonNode? Scalar(YamlScalarNode s)
        {
            var v = s.Value ?? string.Empty;
            if (s.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            {
                return JsonValue.Create(v);
            }

            if (v is "" or "~" or "null")
            {
                return null;
            }

            if (v is "true" or "false")
            {
                return JsonValue.Create(v == "true");
            }

            if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return JsonValue.Create(n);
            }

            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                return JsonValue.Create(d);
            }

            return JsonValue.Create(v);
        }
    }

    private static List<string> Errors(string schemaPath, JsonNode? instance)
    {
        var schema = Schemas.GetOrAdd(schemaPath, p => JsonSchema.FromText(File.ReadAllText(p), baseUri: new Uri("https://licenserisk.test/schemas/" + Path.GetFileName(p))));
        using var doc = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).DefaultIfEmpty("invalid")];
    }
}
