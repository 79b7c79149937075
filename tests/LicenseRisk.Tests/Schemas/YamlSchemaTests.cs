using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Tests.Schemas;

/// <summary>
/// The JSON Schemas in schemas/ (what editors use through the yaml-language-server line) accept
/// every bundled and sample YAML file, and reject broken ones; the C# readers, run on the same
/// inputs, agree (a located error for each broken one, none for the good ones).
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

    /// <summary>
    /// Bad dossiers, each checked both ways: the schema (what an editor shows) rejects it, and the
    /// reader (what the program does) reports an error at the line of the offending node. The
    /// vendor line is line 1 and signals: line 2, so a signal given here starts at line 3.
    /// </summary>
    [Theory]
    [InlineData("vendor:\n  id: acme\n  name: Acme\n  founded: 2020\n", 4, "unknown key in vendor")]
    [InlineData("vendor:\n  name: Acme\n", 2, "vendor without its required id")]
    [InlineData("vendor:\n  id: acme\n  name: [Acme]\n", 3, "vendor name given a list")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: closed\n", 6, "enum value the kind does not declare")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    weights: open\n", 3, "missing required field")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: open\n    seniority: lead\n", 7, "field of another kind")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: open\n    sorce: s\n", 7, "unknown key in a signal")]
    [InlineData("signals:\n  - kind: relase\n    date: 2026-01-01\n", 3, "undeclared kind")]
    [InlineData("signals:\n  - kind: closed_lab_leadership\n    date: 2026-01-01\n", 3, "derived kind in a dossier")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026-01-01\n    stance: pro_open\n    confidence: 1.5\n", 6, "confidence above 1")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026-01-01\n    stance: pro_open\n    confidence: -0.1\n", 6, "confidence below 0")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026-01-01\n    stance: pro_open\n    confidence: high\n", 6, "confidence given text")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026/01/01\n    stance: pro_open\n", 4, "date not YYYY-MM-DD")]
    [InlineData("signals:\n  - kind: statement\n    stance: pro_open\n", 3, "signal without a date")]
    [InlineData("signals:\n  - kind: statement\n    date: 2025-06-31\n    stance: pro_open\n", 4, "a day June does not have")]
    [InlineData("vendor:\n  id: Acme Inc\n  name: Acme\n", 2, "vendor id with a space")]
    [InlineData("signals:\n  - kind: layoff\n    date: 2026-01-01\n    count: many\n", 5, "int field given text")]
    [InlineData("signals:\n  - kind: layoff\n    date: 2026-01-01\n    count: 2.5\n", 5, "int field given a fraction")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: open\n    params_b: lots\n", 7, "number field given text")]
    [InlineData("signals:\n  - kind: leadership_departure\n    date: 2026-01-01\n    seniority: lead\n    to_closed_lab: maybe\n", 6, "bool field given text")]
    [InlineData("signals: { kind: release }\n", 2, "signals not a list")]
    [InlineData("signals: []\ncase: { as_of: 2026-03-01, went_api_only: perhaps }\n", 3, "case flag given text")]
    [InlineData("signals: []\ncase: { as_of: 2026-03-01, went_api_only: true, certainty: sure }\n", 3, "case certainty not high, medium or low")]
    [InlineData("signals: []\ncase: { as_of: 2026-03-01, went_api_only: true, vendor_type: lab }\n", 3, "case vendor_type not research, startup or big-company")]
    [InlineData("signals: []\nextras: 1\n", 3, "unknown top-level key")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026-01-01\n    reported: 2026-02-30\n    stance: pro_open\n", 5, "reported on a day February does not have")]
    [InlineData("signals:\n  - kind: statement\n    date: 2026-01-01\n    stance: pro_open\n    speaker_org: insider\n", 6, "speaker_org not vendor, parent or outsider")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: staged\n    weights_date: soon\n", 7, "weights_date given text")]
    [InlineData("signals:\n  - kind: funding\n    date: 2026-01-01\n    form: loan\n", 5, "funding form not declared")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: open\n    modality: speech\n", 7, "release modality not one of the six")]
    [InlineData("signals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: open\n    modality: [image, video]\n", 7, "release modality given a list")]
    public void ABrokenDossier_FailsTheDossierSchema_AndTheReaderReportsItAtItsLine(string broken, int line, string why)
    {
        var text = broken.StartsWith("vendor:", StringComparison.Ordinal)
            ? broken + "signals: []\n"
            : "vendor: { id: acme, name: Acme }\n" + broken;
        Errors(Repo.Path("schemas/dossier.schema.json"), ToJson(text)).ShouldNotBeEmpty($"schema: {why}");
        ReaderErrors(text).ShouldContain(d => d.Span.Line == line && d.Span.Column >= 1, $"reader: {why} at line {line}; it said: {string.Join(" | ", ReaderErrors(text))}");
    }

    [Fact]
    public void ADossierWithExtraAndEveryOptionalPart_IsValid()
    {
        var text = """
            vendor: { id: acme, name: Acme, tags: [x], extra: { anything: [1, 2] } }
            signals:
              - { kind: release, date: 2026-01-01, model: 7, weights: open, params_b: 7.5, extra: { free: form } }
              - { kind: layoff, date: 2026-01-02, count: 3, share: 0.1, confidence: 0.5, id: l1, note: n, source: s }
              - { kind: statement, date: 2024-02-29, stance: neutral, source: a leap day }
            case: { as_of: 2026-03-01, horizon_months: 12, went_api_only: false, certainty: low, caveats: [a, b] }
            """;
        Errors(Repo.Path("schemas/dossier.schema.json"), ToJson(text)).ShouldBeEmpty();
        ReaderErrors(text).ShouldBeEmpty();
    }

    [Fact]
    public void ADossierWithEveryIssue15Field_IsValidForBothTheSchemaAndTheReader()
    {
        var text = """
            vendor: { id: acme, name: Acme }
            signals:
              - { kind: release, date: 2025-03-16, reported: 2025-03-18, model: M, weights: staged, weights_date: 2025-06-30, line: M-Open, tier: flagship }
              - { kind: release, date: 2025-04-01, model: R, weights: withheld, line: M-Research }
              - { kind: release, date: 2025-04-02, model: D, weights: demo_only, modality: video }
              - { kind: release, date: 2025-04-05, model: C, weights: open, modality: code }
              - { kind: statement, date: 2025-04-03, stance: pro_closed, speaker: parent CEO, speaker_org: parent }
              - { kind: funding, date: 2025-04-04, investor: State, form: grant, recipient: parent }
              - { kind: partnership, date: 2023-01-01, partner: Cloud, exclusive: true, ended: 2025-01-01 }
            """;
        Errors(Repo.Path("schemas/dossier.schema.json"), ToJson(text)).ShouldBeEmpty();
        ReaderErrors(text).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(SampleDossiers))]
    public void EverySampleDossier_PassesBothTheSchemaAndTheReader(string file)
    {
        var text = File.ReadAllText(Repo.Path(file));
        Errors(Repo.Path("schemas/dossier.schema.json"), ToJson(text)).ShouldBeEmpty();
        ReaderErrors(text).ShouldBeEmpty();
    }

    public static TheoryData<string> SampleDossiers() =>
        [.. Directory.EnumerateFiles(Repo.Path("samples/vendors"), "*.yaml").Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))];

    private static readonly Lazy<SignalCatalog> BundledCatalog = new(() =>
    {
        var diags = new DiagnosticBag();
        return PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags)?.Catalog ?? throw new InvalidOperationException(TestPack.Errors(diags));
    });

    /// <summary>The errors the dossier reader reports for <paramref name="text"/>, read as acme.yaml under the bundled pack.</summary>
    [Fact]
    public void AReleaseModality_OutsideTheSix_IsALocatedLR023ThatNamesTheValues()
    {
        var text = "vendor: { id: acme, name: Acme }\nsignals:\n  - kind: release\n    date: 2026-01-01\n    model: M\n    weights: open\n    modality: imag\n";
        ReaderErrors(text).Select(d => d.ToString()).ShouldBe(
            ["acme.yaml:7:15: error LR023: 'imag' is not a value of release.modality; expected one of: text, code, image, audio, video, multimodal (did you mean 'image'?)"]);
    }

    private static List<Diagnostic> ReaderErrors(string text)
    {
        var diags = new DiagnosticBag();
        var root = YamlSource.LoadText(text, "acme.yaml", new LicenseRisk.Yaml.Limits(), diags);
        if (root is not null)
        {
            _ = DossierReader.Read(root, "acme.yaml", BundledCatalog.Value, new LicenseRisk.Yaml.Limits(), diags);
        }

        var errors = diags.Items.Where(d => d.IsError).ToList();
        errors.ShouldAllBe(d => d.Span.File == "acme.yaml" && d.Code.StartsWith("LR", StringComparison.Ordinal));
        return errors;
    }

    /// <summary>
    /// Bad pack files, each checked both ways: the schema rejects it, and compiling a pack that
    /// holds it reports a located error in that file.
    /// </summary>
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
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    weight: heavy\n    when: [{ signal: release }]\n", "weight given text")]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    weight: 1\n    when: [{ signal: release }]\n", "rule without a title")]
    [InlineData("rules.schema.json", "rules:\n  - id: r\n    title: t\n    weight: 1\n    decay: sometimes\n    when: [{ signal: release }]\n", "decay given text")]
    [InlineData("pack.schema.json", "pack: { name: p, version: 1 }\nmodel: { prior: 0.2, horizon_months: twelve }\n", "horizon given text")]
    [InlineData("pack.schema.json", "pack: { name: p, version: 1 }\nmodel: { prior: 0.2 }\ncolour: red\n", "unknown top-level key")]
    [InlineData("signals.schema.json", "kinds:\n  k:\n    fields:\n      f: { type: text }\n", "unknown field type")]
    public void ABrokenPackFile_FailsItsSchema_AndThePackCompilerReportsItInThatFile(string schema, string broken, string why)
    {
        Errors(Repo.Path("schemas/" + schema), ToJson(broken)).ShouldNotBeEmpty($"schema: {why}");
        const string Valid = "rules:\n  - id: r\n    title: t\n    weight: 1\n    when: [{ signal: release }]\n";
        var file = schema.Replace(".schema.json", ".yaml", StringComparison.Ordinal);
        using var pack = new TestPack(file == "rules.yaml" ? broken : Valid, signals: file == "signals.yaml" ? broken : TestPack.Signals);
        if (file == "pack.yaml")
        {
            pack.Write("pack.yaml", broken);
        }

        var (compiled, diags) = pack.Compile();
        compiled.ShouldBeNull(why);
        var errors = diags.Items.Where(d => d.IsError).ToList();
        errors.ShouldContain(d => Path.GetFileName(d.Span.File) == file && d.Span.Line >= 1 && d.Span.Column >= 1, $"compiler: {why}; it said: {string.Join(" | ", errors)}");
    }

    [Theory]
    [InlineData("rule-tests.schema.json", "tests:\n  - name: t\n    as_of: 2026-01-01\n    signals: []\n    expect: { fire: [r] }\n", "unknown expect key")]
    [InlineData("rule-tests.schema.json", "tests:\n  - name: t\n    as_of: 2026-01-01\n    signals: []\n    expect: { probability: { at_leest: 0.2 } }\n", "unknown bounds key")]
    [InlineData("policy.schema.json", "waivers:\n  - vendor: qwen\n    rule: r\n    reason: x\n    approver: y\n", "waiver without expiry")]
    [InlineData("policy.schema.json", "prior: 1.5\n", "prior above 1")]
    [InlineData("policy.schema.json", "thresholds: { fail_over: 0.5 }\n", "unknown thresholds key")]
    public void ABrokenRuleTestOrPolicyFile_FailsItsSchema(string schema, string broken, string why) =>
        Errors(Repo.Path("schemas/" + schema), ToJson(broken)).ShouldNotBeEmpty(why);

    [Fact]
    public void TheDossierSchemasKinds_AreTheBundledPacksWrittenKinds()
    {
        var diags = new DiagnosticBag();
        var pack = PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags).ShouldNotBeNull();
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

    /// <summary>The errors of YAML text against one of the published schemas in schemas/ (e.g. dossier.schema.json).</summary>
    public static List<string> SchemaErrors(string schemaFile, string yaml) => Errors(Repo.Path("schemas/" + schemaFile), ToJson(yaml));

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
