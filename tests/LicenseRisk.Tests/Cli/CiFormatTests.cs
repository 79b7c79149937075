using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace LicenseRisk.Tests.Cli;

/// <summary>What a pipeline sees: the gate (--fail-above, --fail-on) and the sarif, junit and github formats.</summary>
public sealed class CiFormatTests
{
    private const string AsOf = "2026-03-05";

    /// <summary>A derive chain (appointment -> closed_lab_leadership -> closed-lab-leader) and a rule whose text comes from the dossier.</summary>
    private const string Rules = """
        rules:
          - id: closed-lab-appointment
            title: An appointment from a closed lab is closed-lab leadership
            when:
              - signal: leadership_appointment
                as: app
                where: from_closed_lab == true
            derive:
              kind: closed_lab_leadership
              fields: { from_org: "{app.from_org}" }
          - id: closed-lab-leader
            title: Closed-lab leadership
            weight: 0.8
            decay: false
            when:
              - signal: closed_lab_leadership
                as: c
            because: "led by someone from {c.from_org}"
          - id: departure
            title: "A departure: [any] lead"
            weight: 1
            decay: false
            when:
              - signal: leadership_departure
                as: dep
            because: "{dep.person} left"
            references: ["https://example.org/why?a=1&b=2", "a book, p. 3"]
            rationale: "People who leave take the open strategy with them."
          - id: open-release
            title: An open release
            weight: -0.2
            decay: false
            when:
              - signal: release
                where: weights == 'open'
            because: open
        """;

    private const string Hostile = "Evil\\r\\nName ::error file=x::pwned 100% [link](1) \\u0001 ]]> <b>&amp;";

    /// <summary>Signals at lines 3 (appointment), 9 (departure) and 15 (release), each at column 5.</summary>
    private const string Dossier = $"""
        vendor: {"{"} id: acme, name: "Acme, Inc. <&>" {"}"}
        signals:
          - kind: leadership_appointment
            date: 2026-01-01
            source: s
            person: P
            from_org: "Closed:Lab, Ltd"
            from_closed_lab: true
          - kind: leadership_departure
            date: 2026-02-01
            source: s
            person: "{Hostile}"
            seniority: lead
            id: evil-departure
          - kind: release
            date: 2026-02-02
            source: s
            model: M
            weights: open
        """;

    [Fact]
    public void FailOn_TripsVendorsInThatBandOrAHigherOne_WithTheirTopReasons()
    {
        var r = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", AsOf, "--fail-on", "elevated", "-q");
        r.ExitCode.ShouldBe(1);
        var lines = r.Stderr.TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(3, r.Stderr);
        lines.ShouldContain(l => l.Contains("qwen.yaml: gate: qwen probability 0.58, band high: band at or above --fail-on elevated; top reasons: lead-departs-after-open-release (+0.50): Junyang (Justin) Lin", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("gate: meta ", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("gate: mistral ", StringComparison.Ordinal));
        r.Stderr.ShouldNotContain("gate: deepseek");
        r.Stdout.ShouldContain("VENDOR");

        var high = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", AsOf, "--fail-on", "high", "-q");
        high.ExitCode.ShouldBe(1);
        high.Stderr.Split('\n').Count(l => l.Contains(": gate: ", StringComparison.Ordinal)).ShouldBe(1);
        high.Stderr.ShouldContain("gate: qwen probability 0.58, band high: band at or above --fail-on high");
        CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", AsOf, "--fail-on", "critical").ExitCode.ShouldBe(0);
        CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", AsOf, "--fail-on", "low", "-q").Stderr.Split('\n').Count(l => l.Contains(": gate: ", StringComparison.Ordinal)).ShouldBe(6);
    }

    [Fact]
    public void FailOn_AndFailAbove_TripWhenEitherDoes()
    {
        var r = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", AsOf, "--fail-on", "critical", "--fail-above", "0.5", "-q");
        r.ExitCode.ShouldBe(1);
        r.Stderr.ShouldContain("gate: qwen probability 0.58, band high: above --fail-above 0.50; top reasons:");
        r.Stderr.ShouldNotContain("gate: mistral");
    }

    [Fact]
    public void FailOn_UnknownBand_ExitsTwoNamingThePacksBands()
    {
        var r = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", AsOf, "--fail-on", "hgh");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldContain("--fail-on: error LR904: no band 'hgh'; the pack's bands, lowest first, are low, elevated, high, critical (did you mean 'high'?)");
    }

    [Fact]
    public void Sarif_IsValidSarif210_WithThePacksRulesAndOneErrorPerPositiveContributionOfTrippedVendors()
    {
        var r = CliProcess.Run("score", "samples/vendors", "--as-of", AsOf, "--format", "sarif", "--fail-above", "0.5", "-q");
        r.ExitCode.ShouldBe(1);
        ValidateSarif(r.Stdout);

        using var doc = JsonDocument.Parse(r.Stdout);
        var run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        rules.Count.ShouldBe(Directory.GetFiles(Repo.Path("rules"), "*.yaml").Sum(f => File.ReadAllLines(f).Count(l => l.StartsWith("  - id: ", StringComparison.Ordinal))));
        var lead = rules.Single(x => x.GetProperty("id").GetString() == "lead-departs-after-open-release");
        lead.GetProperty("name").GetString().ShouldBe("LeadDepartsAfterOpenRelease");
        lead.GetProperty("shortDescription").GetProperty("text").GetString().ShouldBe("A founder, executive or lead leaves within 30 days after an open-weights release");
        lead.GetProperty("fullDescription").GetProperty("text").GetString()!.ShouldStartWith("Leaving right after shipping open weights");
        lead.GetProperty("help").GetProperty("text").GetString()!.ShouldContain("References:\n- https://www.livemint.com/");
        lead.GetProperty("helpUri").GetString()!.ShouldStartWith("https://www.livemint.com/");

        var results = run.GetProperty("results").EnumerateArray().ToList();
        results.ShouldAllBe(x => x.GetProperty("level").GetString() == "error");
        results.Select(x => x.GetProperty("properties").GetProperty("vendor").GetString()).Distinct().ShouldBe(["qwen"]);
        results.Count.ShouldBe(6);
        var leadResult = results.Single(x => x.GetProperty("ruleId").GetString() == "lead-departs-after-open-release");
        rules[leadResult.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString().ShouldBe("lead-departs-after-open-release");
        leadResult.GetProperty("message").GetProperty("text").GetString()!.ShouldStartWith("Alibaba Qwen (qwen): probability 0.58, band high. lead-departs-after-open-release (+0.50): Junyang (Justin) Lin");
        var qwen = File.ReadAllLines(Repo.Path("samples/vendors/qwen.yaml"));
        var lines = leadResult.GetProperty("locations").EnumerateArray().Select(l =>
        {
            var physical = l.GetProperty("physicalLocation");
            physical.GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldBe("samples/vendors/qwen.yaml");
            return physical.GetProperty("region").GetProperty("startLine").GetInt32();
        }).ToList();
        lines.Count.ShouldBe(2);
        qwen[lines[1] - 1].ShouldBe("- kind: leadership_departure");
        qwen[lines[1]..].TakeWhile(l => !l.StartsWith("- ", StringComparison.Ordinal)).ShouldContain("  id: lin-departure");
        qwen[lines[0]..].TakeWhile(l => !l.StartsWith("- ", StringComparison.Ordinal)).ShouldContain("  id: qwen-3-5-small");
        leadResult.GetProperty("partialFingerprints").EnumerateObject().Single().Value.GetString()!.Length.ShouldBe(32);
    }

    [Fact]
    public void Sarif_WithoutAGate_ReportsEveryVendorAsWarnings_AndIsByteIdenticalAcrossRuns()
    {
        var a = CliProcess.Run("score", "samples/vendors", "--as-of", AsOf, "--format", "sarif", "-q");
        var b = CliProcess.Run("score", "samples/vendors", "--as-of", AsOf, "--format", "sarif", "-q");
        a.ExitCode.ShouldBe(0, a.Stderr);
        a.Stdout.ShouldBe(b.Stdout);
        ValidateSarif(a.Stdout);
        using var doc = JsonDocument.Parse(a.Stdout);
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        results.ShouldAllBe(x => x.GetProperty("level").GetString() == "warning");
        results.Select(x => x.GetProperty("properties").GetProperty("vendor").GetString()).Distinct().Count().ShouldBe(6);
        results.Select(x => x.GetProperty("partialFingerprints").EnumerateObject().Single().Value.GetString()).ShouldBeUnique();
    }

    [Fact]
    public void Sarif_DerivedSignalsPointAtTheirSupport_AndInputTextIsEscaped()
    {
        using var pack = new TestPack(Rules);
        var file = pack.Write("vendors/acme.yaml", Dossier);
        var r = CliProcess.InProcess("score", file, "--rules", pack.Dir, "--as-of", AsOf, "--format", "sarif", "--fail-on", "high", "-q");
        r.ExitCode.ShouldBe(1, r.Stderr);
        ValidateSarif(r.Stdout);
        using var doc = JsonDocument.Parse(r.Stdout);
        var run = doc.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToDictionary(x => x.GetProperty("ruleId").GetString()!);
        results.Keys.Order(StringComparer.Ordinal).ShouldBe(["closed-lab-leader", "departure"]);
        Lines(results["closed-lab-leader"]).ShouldBe([3]);
        Lines(results["departure"]).ShouldBe([9]);
        var uri = results["departure"].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!;
        uri.ShouldStartWith("file:///");
        uri.ShouldEndWith("/acme.yaml");
        results["departure"].GetProperty("message").GetProperty("text").GetString()!.ShouldContain("Evil\r\nName ::error file=x::pwned 100% \\[link\\](1) \u0001 \\]\\]> <b>&amp; left");
        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(x => x.GetProperty("id").GetString() == "departure");
        rule.GetProperty("helpUri").GetString().ShouldBe("https://example.org/why?a=1&b=2");
        rule.GetProperty("help").GetProperty("markdown").GetString()!.ShouldContain("- a book, p. 3");

        static int[] Lines(JsonElement result) => [.. result.GetProperty("locations").EnumerateArray().Select(l => l.GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32())];
    }

    [Fact]
    public void JUnit_IsValidAgainstTheAntSchema_OneTestcasePerVendor_FailedWhenOverTheGate()
    {
        var r = CliProcess.Run("score", "samples/vendors", "--as-of", AsOf, "--format", "junit", "--fail-on", "elevated", "-q");
        r.ExitCode.ShouldBe(1);
        ValidateJUnit(r.Stdout);
        var suite = XDocument.Parse(r.Stdout).Root!;
        suite.Name.LocalName.ShouldBe("testsuite");
        suite.Attribute("tests")!.Value.ShouldBe("6");
        suite.Attribute("failures")!.Value.ShouldBe("3");
        var cases = suite.Elements("testcase").ToList();
        cases.Select(c => c.Attribute("classname")!.Value).ShouldBe(["allenai", "deepseek", "meta", "mistral", "qwen", "silo-ai"]);
        var qwen = cases.Single(c => c.Attribute("classname")!.Value == "qwen");
        qwen.Attribute("name")!.Value.ShouldBe("Alibaba Qwen");
        var failure = qwen.Element("failure")!;
        failure.Attribute("message")!.Value.ShouldStartWith("probability 0.58, band high: band at or above --fail-on elevated; top reasons: lead-departs-after-open-release (+0.50)");
        failure.Value.ShouldContain("+0.50 lead-departs-after-open-release: Junyang (Justin) Lin");
        failure.Value.ShouldContain("-0.12 pro-open-statement:");
        failure.Value.Split('\n').Count(l => l.StartsWith('+') || l.StartsWith('-')).ShouldBe(9);
        cases.Single(c => c.Attribute("classname")!.Value == "deepseek").Elements().ShouldBeEmpty();

        var again = CliProcess.Run("score", "samples/vendors", "--as-of", AsOf, "--format", "junit", "--fail-on", "elevated", "-q");
        again.Stdout.ShouldBe(r.Stdout);
    }

    [Fact]
    public void JUnit_EscapesHostileText_AndStaysValid()
    {
        using var pack = new TestPack(Rules);
        var file = pack.Write("vendors/acme.yaml", Dossier);
        var r = CliProcess.InProcess("score", file, "--rules", pack.Dir, "--as-of", AsOf, "--format", "junit", "--fail-above", "0.1", "-q");
        r.ExitCode.ShouldBe(1);
        ValidateJUnit(r.Stdout);
        var testcase = XDocument.Parse(r.Stdout).Root!.Element("testcase")!;
        testcase.Attribute("name")!.Value.ShouldBe("Acme, Inc. <&>");
        testcase.Element("failure")!.Value.ShouldContain("Name ::error file=x::pwned 100% [link](1) \uFFFD ]]> <b>&amp; left");
    }

    [Fact]
    public void GitHub_AnnotatesEachSignalLineOfEachPositiveContribution()
    {
        var r = CliProcess.Run("score", "samples/vendors/qwen.yaml", "samples/vendors/deepseek.yaml", "--as-of", AsOf, "--format", "github", "--fail-above", "0.4", "-q");
        r.ExitCode.ShouldBe(1);
        var lines = r.Stdout.TrimEnd('\n').Split('\n');
        lines.ShouldAllBe(l => l.StartsWith("::error file=samples/vendors/qwen.yaml,line=", StringComparison.Ordinal));
        lines.ShouldContain("::error file=samples/vendors/qwen.yaml,line=198,col=3,title=LicenseRisk%3A qwen lead-departs-after-open-release (+0.50)::Alibaba Qwen (qwen): probability 0.58, band high. lead-departs-after-open-release (+0.50): Junyang (Justin) Lin (Qwen technical lead (youngest P10), led open-source releases) left 1 day(s) after the open release of Qwen3.5 Small (0.8B/2B/4B/9B)");
        File.ReadAllLines(Repo.Path("samples/vendors/qwen.yaml"))[197].ShouldBe("- kind: leadership_departure");

        var all = CliProcess.InProcess("score", Repo.Path("samples/vendors/deepseek.yaml"), "--as-of", AsOf, "--format", "github", "-q");
        all.ExitCode.ShouldBe(0);
        all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(l => l.StartsWith("::warning file=", StringComparison.Ordinal));
    }

    [Fact]
    public void GitHub_EscapesHostileText_SoItCannotStartAnotherCommand()
    {
        using var pack = new TestPack(Rules);
        var file = pack.Write("vendors/a,b:c%.yaml", Dossier);
        var r = CliProcess.InProcess("score", file, "--rules", pack.Dir, "--as-of", AsOf, "--format", "github", "--fail-on", "high", "-q");
        r.ExitCode.ShouldBe(1);
        var lines = r.Stdout.TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(2);
        var escapedFile = file.Replace("%", "%25", StringComparison.Ordinal).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
        lines[0].ShouldBe($"::error file={escapedFile},line=9,col=5,title=LicenseRisk%3A acme departure (+1.00)::Acme, Inc. <&> (acme): probability 0.55, band high (thin evidence: only 3 signals known). departure (+1.00): Evil%0D%0AName ::error file=x::pwned 100%25 [link](1)   ]]> <b>&amp; left");
        lines[1].ShouldStartWith($"::error file={escapedFile},line=3,col=5,title=LicenseRisk%3A acme closed-lab-leader (+0.80)::");
        lines[1].ShouldEndWith("led by someone from Closed:Lab, Ltd");
        lines.ShouldAllBe(l => !l.Contains('\r') && !l.Contains('\u0001'));
    }

    [Fact]
    public void AVendorTrippedWithoutAPositiveReason_StillFailsInJUnitAndGetsAFileAnnotation()
    {
        using var pack = new TestPack(Rules);
        var file = pack.Write("vendors/open.yaml", """
            vendor: { id: open, name: Open }
            signals:
              - { kind: release, date: 2026-01-01, model: M, weights: open, source: s }
            """);
        string[] common = ["score", file, "--rules", pack.Dir, "--as-of", AsOf, "--fail-on", "low", "-q"];
        var github = CliProcess.InProcess([.. common, "--format", "github"]);
        github.ExitCode.ShouldBe(1);
        github.Stdout.ShouldBe($"::error file={file.Replace(":", "%3A", StringComparison.Ordinal)},line=1,col=15,title=LicenseRisk%3A open is over the gate::Open (open): probability 0.17, band low: band at or above --fail-on low; no rule pushed it up (the prior alone)\n");
        github.Stderr.ShouldBe($"{file}: gate: open probability 0.17, band low: band at or above --fail-on low; no rule pushed it up (the prior alone)\n");

        var junit = CliProcess.InProcess([.. common, "--format", "junit"]);
        XDocument.Parse(junit.Stdout).Root!.Element("testcase")!.Element("failure")!.Value.ShouldContain("-0.20 open-release: open");

        var sarif = CliProcess.InProcess([.. common, "--format", "sarif"]);
        ValidateSarif(sarif.Stdout);
        JsonDocument.Parse(sarif.Stdout).RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public void Formats_NeverPrintAnythingButTheOutput_OnStandardOutput()
    {
        foreach (var format in new[] { "sarif", "junit", "github" })
        {
            var path = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"), "out." + format);
            var r = CliProcess.InProcess("score", Repo.Path("samples/vendors/qwen.yaml"), "--as-of", AsOf, "--format", format, "--output", path, "--fail-above", "0.3", "-q");
            r.ExitCode.ShouldBe(1);
            r.Stdout.ShouldBeEmpty();
            r.Stderr.ShouldContain(": gate: qwen probability 0.58");
            File.ReadAllText(path).Length.ShouldBeGreaterThan(100);
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }

    private static void ValidateSarif(string json)
    {
        var schema = NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", "sarif-schema-2.1.0.json")).GetAwaiter().GetResult();
        var errors = schema.Validate(json);
        errors.Select(e => e.ToString()).ShouldBeEmpty();
    }

    private static void ValidateJUnit(string xml)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Schemas", "junit.xsd"));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} {e.Exception?.LineNumber}: {e.Message}");
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
        {
            while (reader.Read())
            {
            }
        }

        errors.ShouldBeEmpty();
    }
}
