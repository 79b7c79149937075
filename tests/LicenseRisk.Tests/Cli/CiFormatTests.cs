using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace LicenseRisk.Tests.Cli;

/// <summary>
/// What a pipeline sees: the gate (--fail-above, --fail-on) and the sarif, junit and github
/// formats, on the fixture pack and dossiers (Fixtures/) or a pack written by the test, never on
/// the bundled pack's calibration.
/// </summary>
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
        var r = ScoreFixtures("--fail-on", "elevated", "-q");
        r.ExitCode.ShouldBe(1);
        var lines = r.Stderr.TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(2, r.Stderr);
        lines[0].ShouldEndWith("vendors/alpha.yaml: gate: alpha probability 0.55, band high: band at or above --fail-on elevated; top reasons: lead-departs-after-open-release (+1.20): Ada left 5 day(s) after the open release of Alpha 2; senior-departure (+0.70): Ada (lead) left");
        lines[1].ShouldEndWith("vendors/beta.yaml: gate: beta probability 0.33, band elevated: band at or above --fail-on elevated; top reasons: senior-departure (+0.70): Cy (senior) left");
        r.Stdout.ShouldContain("VENDOR");

        var high = ScoreFixtures("--fail-on", "high", "-q");
        high.ExitCode.ShouldBe(1);
        high.Stderr.Split('\n').Count(l => l.Contains(": gate: ", StringComparison.Ordinal)).ShouldBe(1);
        high.Stderr.ShouldContain("gate: alpha probability 0.55, band high: band at or above --fail-on high");
        ScoreFixtures("--fail-on", "critical").ExitCode.ShouldBe(0);
        ScoreFixtures("--fail-on", "low", "-q").Stderr.Split('\n').Count(l => l.Contains(": gate: ", StringComparison.Ordinal)).ShouldBe(3);
    }

    [Fact]
    public void FailOn_AndFailAbove_TripWhenEitherDoes()
    {
        var r = ScoreFixtures("--fail-on", "critical", "--fail-above", "0.5", "-q");
        r.ExitCode.ShouldBe(1);
        r.Stderr.ShouldContain("gate: alpha probability 0.55, band high: above --fail-above 0.50; top reasons:");
        r.Stderr.ShouldNotContain("gate: beta");
    }

    [Fact]
    public void FailOn_UnknownBand_ExitsTwoNamingThePacksBands()
    {
        var r = ScoreFixtures("--fail-on", "hgh");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldContain("--fail-on: error LR904: no band 'hgh'; the pack's bands, lowest first, are low, elevated, high, critical (did you mean 'high'?)");
    }

    [Fact]
    public void FailOn_SwappedLetters_IsReportedWithTheOtherCommandLineErrors_WithAHint()
    {
        var r = ScoreFixtures("--fail-on", "hihg", "--horizon", "0");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldContain("--fail-on: error LR904: no band 'hihg'; the pack's bands, lowest first, are low, elevated, high, critical (did you mean 'high'?)");
        r.Stderr.ShouldContain("--horizon: error LR902: must be a whole number of months from 1 to 120, not '0'");
        r.Stderr.ShouldContain("2 errors");
    }

    [Fact]
    public void FailOn_UnknownBand_OfTheBundledPack_IsACommandLineError()
    {
        var r = CliProcess.InProcess("score", Fixture.Vendors, "--as-of", "2026-13-01", "--fail-on", "hihg");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("--as-of: error LR901:");
        r.Stderr.ShouldContain("--fail-on: error LR904: no band 'hihg'; the pack's bands, lowest first, are low, elevated, high, critical (did you mean 'high'?)");
    }

    [Fact]
    public void Sarif_IsValidSarif210_WithThePacksRulesAndOneErrorPerPositiveContributionOfTrippedVendors()
    {
        var r = CliProcess.Run("score", Fixture.FromRoot("vendors"), "--rules", Fixture.FromRoot("pack"), "--as-of", AsOf, "--format", "sarif", "--fail-above", "0.5", "-q");
        r.ExitCode.ShouldBe(1);
        ValidateSarif(r.Stdout);

        using var doc = JsonDocument.Parse(r.Stdout);
        var run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        rules.Select(x => x.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ShouldBe(["lead-departs-after-open-release", "pro-open-statement", "senior-departure"]);
        var lead = rules.Single(x => x.GetProperty("id").GetString() == "lead-departs-after-open-release");
        lead.GetProperty("name").GetString().ShouldBe("LeadDepartsAfterOpenRelease");
        lead.GetProperty("shortDescription").GetProperty("text").GetString().ShouldBe("A lead leaves within 30 days after an open-weights release");
        lead.GetProperty("fullDescription").GetProperty("text").GetString().ShouldBe("Leaving right after shipping open weights can signal a dispute over that release.");
        lead.GetProperty("help").GetProperty("text").GetString()!.ShouldContain("References:\n- https://example.org/departures?after=release&n=1\n- a book, p. 3");
        lead.GetProperty("helpUri").GetString().ShouldBe("https://example.org/departures?after=release&n=1");

        var results = run.GetProperty("results").EnumerateArray().ToList();
        results.ShouldAllBe(x => x.GetProperty("level").GetString() == "error");
        results.Select(x => x.GetProperty("properties").GetProperty("vendor").GetString()).Distinct().ShouldBe(["alpha"]);
        results.Select(x => x.GetProperty("ruleId").GetString()).Order(StringComparer.Ordinal).ShouldBe(["lead-departs-after-open-release", "senior-departure"]);
        var leadResult = results.Single(x => x.GetProperty("ruleId").GetString() == "lead-departs-after-open-release");
        rules[leadResult.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString().ShouldBe("lead-departs-after-open-release");
        leadResult.GetProperty("message").GetProperty("text").GetString()!.ShouldStartWith("Alpha Labs (alpha): probability 0.55, band high");
        leadResult.GetProperty("message").GetProperty("text").GetString()!.ShouldContain("lead-departs-after-open-release (+1.20): Ada left 5 day(s) after the open release of Alpha 2");
        var alpha = File.ReadAllLines(Fixture.Path("vendors/alpha.yaml"));
        var lines = leadResult.GetProperty("locations").EnumerateArray().Select(l =>
        {
            var physical = l.GetProperty("physicalLocation");
            physical.GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldBe(Fixture.FromRoot("vendors/alpha.yaml"));
            return physical.GetProperty("region").GetProperty("startLine").GetInt32();
        }).ToList();
        lines.Count.ShouldBe(2);
        alpha[lines[1] - 1].ShouldBe("- kind: leadership_departure");
        alpha[lines[1]..].TakeWhile(l => !l.StartsWith("- ", StringComparison.Ordinal)).ShouldContain("  id: ada-departure");
        alpha[lines[0]..].TakeWhile(l => !l.StartsWith("- ", StringComparison.Ordinal)).ShouldContain("  id: alpha-2");
        leadResult.GetProperty("partialFingerprints").EnumerateObject().Single().Value.GetString()!.Length.ShouldBe(32);
    }

    [Fact]
    public void Sarif_WithoutAGate_ReportsEveryVendorAsWarnings_AndIsByteIdenticalAcrossRuns()
    {
        string[] args = ["score", Fixture.FromRoot("vendors"), "--rules", Fixture.FromRoot("pack"), "--as-of", AsOf, "--format", "sarif", "-q"];
        var a = CliProcess.Run(args);
        var b = CliProcess.Run(args);
        a.ExitCode.ShouldBe(0, a.Stderr);
        a.Stdout.ShouldBe(b.Stdout);
        ValidateSarif(a.Stdout);
        using var doc = JsonDocument.Parse(a.Stdout);
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        results.ShouldAllBe(x => x.GetProperty("level").GetString() == "warning");

        // gamma has no positive contribution, so no result.
        results.Select(x => x.GetProperty("properties").GetProperty("vendor").GetString()).Distinct().ShouldBe(["alpha", "beta"], ignoreOrder: true);
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
        var r = ScoreFixtures("--format", "junit", "--fail-on", "elevated", "-q");
        r.ExitCode.ShouldBe(1);
        ValidateJUnit(r.Stdout);
        var suite = XDocument.Parse(r.Stdout).Root!;
        suite.Name.LocalName.ShouldBe("testsuite");
        suite.Attribute("tests")!.Value.ShouldBe("3");
        suite.Attribute("failures")!.Value.ShouldBe("2");
        var cases = suite.Elements("testcase").ToList();
        cases.Select(c => c.Attribute("classname")!.Value).ShouldBe(["alpha", "beta", "gamma"]);
        var alpha = cases.Single(c => c.Attribute("classname")!.Value == "alpha");
        alpha.Attribute("name")!.Value.ShouldBe("Alpha Labs");
        var failure = alpha.Element("failure")!;
        failure.Attribute("message")!.Value.ShouldStartWith("probability 0.55, band high: band at or above --fail-on elevated; top reasons: lead-departs-after-open-release (+1.20)");
        failure.Value.ShouldContain("+1.20 lead-departs-after-open-release: Ada left 5 day(s) after the open release of Alpha 2");
        failure.Value.ShouldContain("-0.30 pro-open-statement: Bo spoke for open weights");
        failure.Value.Split('\n').Count(l => l.StartsWith('+') || l.StartsWith('-')).ShouldBe(3);
        cases.Single(c => c.Attribute("classname")!.Value == "gamma").Elements().ShouldBeEmpty();

        var again = ScoreFixtures("--format", "junit", "--fail-on", "elevated", "-q");
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
        var alpha = Fixture.FromRoot("vendors/alpha.yaml");
        var r = CliProcess.Run("score", alpha, Fixture.FromRoot("vendors/gamma.yaml"), "--rules", Fixture.FromRoot("pack"), "--as-of", AsOf, "--format", "github", "--fail-above", "0.4", "-q");
        r.ExitCode.ShouldBe(1);
        var lead = $"title=LicenseRisk%3A alpha lead-departs-after-open-release (+1.20)::Alpha Labs (alpha): probability 0.55, band high (thin evidence: only 3 signals known). lead-departs-after-open-release (+1.20): Ada left 5 day(s) after the open release of Alpha 2";
        r.Stdout.TrimEnd('\n').Split('\n').ShouldBe(
        [
            $"::error file={alpha},line=5,col=3,{lead}",
            $"::error file={alpha},line=11,col=3,{lead}",
            $"::error file={alpha},line=11,col=3,title=LicenseRisk%3A alpha senior-departure (+0.70)::Alpha Labs (alpha): probability 0.55, band high (thin evidence: only 3 signals known). senior-departure (+0.70): Ada (lead) left",
        ]);
        var lines = File.ReadAllLines(Fixture.Path("vendors/alpha.yaml"));
        lines[4].ShouldBe("- kind: release");
        lines[10].ShouldBe("- kind: leadership_departure");

        var all = CliProcess.InProcess("score", Fixture.Path("vendors/beta.yaml"), "--rules", Fixture.Pack, "--as-of", AsOf, "--format", "github", "-q");
        all.ExitCode.ShouldBe(0);
        all.Stdout.ShouldStartWith("::warning file=");
        all.Stdout.ShouldEndWith("vendors/beta.yaml,line=5,col=3,title=LicenseRisk%3A beta senior-departure (+0.70)::Beta AI (beta): probability 0.33, band elevated (thin evidence: only 2 signals known). senior-departure (+0.70): Cy (senior) left\n");
        all.Stdout.Count(c => c == '\n').ShouldBe(1);
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
            var r = CliProcess.InProcess("score", Fixture.Path("vendors/alpha.yaml"), "--rules", Fixture.Pack, "--as-of", AsOf, "--format", format, "--output", path, "--fail-above", "0.3", "-q");
            r.ExitCode.ShouldBe(1);
            r.Stdout.ShouldBeEmpty();
            r.Stderr.ShouldContain(": gate: alpha probability 0.55");
            File.ReadAllText(path).Length.ShouldBeGreaterThan(100);
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }

    /// <summary>Scores the fixture dossiers under the fixture pack (Fixtures/), whose weights never move with the bundled pack's.</summary>
    private static CliResult ScoreFixtures(params string[] options) =>
        CliProcess.InProcess(["score", Fixture.Vendors, "--rules", Fixture.Pack, "--as-of", AsOf, .. options]);

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
