using LicenseRisk.Model;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Yaml;

public sealed class DossierReaderTests
{
    private static (IReadOnlyList<Dossier> Dossiers, DiagnosticBag Diags) Read(params (string Name, string Text)[] files)
    {
        using var pack = new TestPack("rules: []");
        var compiled = pack.CompileOk();
        var paths = files.Select(f => pack.Write("d/" + f.Name, f.Text)).ToList();
        var diags = new DiagnosticBag();
        var dossiers = DossierReader.ReadAll(DossierReader.Expand([Path.Combine(pack.Dir, "d")], diags), compiled.Catalog, new LicenseRisk.Yaml.Limits(), diags);
        var prefix = SourcePaths.Normalize(Path.Combine(pack.Dir, "d")) + "/";
        var cleaned = new DiagnosticBag();
        cleaned.AddRange(diags.Items.Select(d => d with
        {
            Span = d.Span with { File = d.Span.File.Replace(prefix, string.Empty, StringComparison.Ordinal) },
            Message = d.Message.Replace(prefix, string.Empty, StringComparison.Ordinal),
        }));
        return (dossiers, cleaned);
    }

    private static string[] Messages(DiagnosticBag diags) => [.. diags.Sorted().Select(d => d.ToString())];

    [Fact]
    public void ValidDossier_ReadsEveryField()
    {
        var (dossiers, diags) = Read(("q.yaml", """
            vendor:
              id: qwen
              name: Alibaba Qwen
              parent: Alibaba Group
              homepage: https://qwen.ai
              tags: [china, frontier]
            signals:
              - kind: release
                date: 2026-03-02
                source: https://example.org
                confidence: 0.9
                note: free text
                id: qwen-3-5-small
                model: Qwen3.5-Small
                weights: open
                license: Apache-2.0
                tier: small
                params_b: 9
                extra: { anything: [1, 2] }
            case:
              as_of: 2026-03-05
              horizon_months: 12
              went_api_only: true
              resolution: what happened
              certainty: medium
              caveats:
                - the launch day is from memory
                - a smaller variant had weights
            extra:
              free: form
            """));
        Messages(diags).ShouldBeEmpty();
        var d = dossiers.Single();
        d.Vendor.Tags.ShouldBe(["china", "frontier"]);
        var s = d.Signals.Single();
        s.Label.ShouldBe("qwen-3-5-small");
        s.Confidence.ShouldBe(0.9);
        s.Values.Count.ShouldBe(5);
        d.Case!.WentApiOnly.ShouldBeTrue();
        d.Case.AsOf.ShouldBe(new DateOnly(2026, 3, 5));
        d.Case.Certainty.ShouldBe(LabelCertainty.Medium);
        d.Case.Caveats.ShouldBe(["the launch day is from memory", "a smaller variant had weights"]);
    }

    [Fact]
    public void CaseCertainty_IsOptional_TakesOneCaveatAsText_AndRejectsAnUnknownWordAtItsPlace()
    {
        var (plain, plainDiags) = Read(("p.yaml", "vendor: { id: p, name: P }\nsignals: []\ncase: { as_of: 2024-01-01, went_api_only: false, caveats: one caveat }\n"));
        Messages(plainDiags).ShouldBeEmpty();
        plain.Single().Case!.Certainty.ShouldBeNull();
        plain.Single().Case!.Caveats.ShouldBe(["one caveat"]);

        var (_, diags) = Read(("c.yaml", "vendor: { id: c, name: C }\nsignals: []\ncase:\n  as_of: 2024-01-01\n  went_api_only: true\n  certainty: hig\n"));
        Messages(diags).ShouldBe(["c.yaml:6:14: error LR023: 'hig' is not a value of case.certainty; expected one of: high, medium, low (did you mean 'high'?)"]);
    }

    [Fact]
    public void CaseVendorType_IsOptional_ReadsTheThreeValues_AndRejectsAnUnknownWordAtItsPlace()
    {
        var (plain, plainDiags) = Read(("p.yaml", "vendor: { id: p, name: P }\nsignals: []\ncase: { as_of: 2024-01-01, went_api_only: false }\n"));
        Messages(plainDiags).ShouldBeEmpty();
        plain.Single().Case!.VendorType.ShouldBeNull();
        foreach (var value in new[] { "research", "startup", "big-company" })
        {
            var (read, readDiags) = Read(("v.yaml", $"vendor: {{ id: v, name: V }}\nsignals: []\ncase: {{ as_of: 2024-01-01, went_api_only: false, vendor_type: {value} }}\n"));
            Messages(readDiags).ShouldBeEmpty();
            read.Single().Case!.VendorType.ShouldBe(value);
        }

        var (_, diags) = Read(("c.yaml", "vendor: { id: c, name: C }\nsignals: []\ncase:\n  as_of: 2024-01-01\n  went_api_only: true\n  vendor_type: big-compnay\n"));
        Messages(diags).ShouldBe(["c.yaml:6:16: error LR023: 'big-compnay' is not a value of case.vendor_type; expected one of: research, startup, big-company (did you mean 'big-company'?)"]);
    }

    [Fact]
    public void BrokenDossier_ReportsEveryProblemWithItsPlace()
    {
        var (dossiers, diags) = Read(("bad.yaml", """
            vendor:
              id: Bad_Id
              name: X
              colour: red
            signals:
              - kind: release
                date: 2026-02-30
                model: M
                weights: closed
              - kind: releas
                date: 2026-01-01
              - kind: leadership_departure
                date: 2026-01-01
                confidence: 1.5
                source: s
              - kind: hiring
                date: 2026-01-01
                count: many
                from_closed_lab: yes
                source: s
            """));
        dossiers.ShouldBeEmpty();
        Messages(diags).ShouldBe([
            "bad.yaml:2:7: error LR031: vendor id 'Bad_Id' must match [a-z0-9][a-z0-9-]*",
            "bad.yaml:4:3: error LR018: unknown key 'colour' in 'vendor'",
            "bad.yaml:7:11: error LR014: '2026-02-30' is not a date: February has 28 days",
            "bad.yaml:9:14: error LR023: 'closed' is not a value of release.weights; expected one of: open, gated, api_only",
            "bad.yaml:10:11: error LR020: unknown signal kind 'releas'; did you mean 'release'?",
            "bad.yaml:12:5: error LR022: leadership_departure signal is missing required field 'seniority' (enum [founder, executive, lead, senior])",
            "bad.yaml:14:17: error LR021: confidence must be between 0 and 1, not 1.5",
            "bad.yaml:18:12: error LR012: 'count' must be a whole number, not 'many'",
            "bad.yaml:19:22: error LR013: 'from_closed_lab' must be true or false, not 'yes'",
        ]);
    }

    [Fact]
    public void MissingSource_IsAWarningNotAnError()
    {
        var (dossiers, diags) = Read(("a.yaml", """
            vendor: { id: a, name: A }
            signals:
              - { kind: release, date: 2026-01-01, model: M, weights: open }
            """));
        dossiers.Count.ShouldBe(1);
        Messages(diags).ShouldBe(["a.yaml:3:5: warning LR090: release signal has no source"]);
        diags.HasErrors.ShouldBeFalse();
    }

    [Fact]
    public void DuplicateVendorIds_AreAnError_ButCasesMayShareAnIdAtOtherDates()
    {
        const string A = "vendor: { id: same, name: A }\nsignals: []\n";
        var (_, diags) = Read(("a.yaml", A), ("b.yaml", A));
        Messages(diags).ShouldBe([
            "a.yaml:1:15: error LR030: vendor id 'same' is used again by b.yaml:1:15",
            "b.yaml:1:15: error LR030: vendor id 'same' is already used by a.yaml:1:15",
        ]);

        const string Case1 = "vendor: { id: same, name: A }\nsignals: []\ncase: { as_of: 2024-01-01, went_api_only: false }\n";
        var (cases, caseDiags) = Read(("a.yaml", Case1), ("b.yaml", Case1.Replace("2024", "2025", StringComparison.Ordinal)));
        cases.Count.ShouldBe(2);
        caseDiags.HasErrors.ShouldBeFalse();
    }

    [Theory]
    [InlineData("", "LR005: file is empty")]
    [InlineData("- a\n- b\n", "LR010: a dossier must be a mapping (key: value), not a list")]
    [InlineData("vendor: { id: a, name: A }\nsignals: []\n---\nvendor: {}\n", "LR005: file holds several YAML documents")]
    [InlineData("vendor: { id: a, name: A }\nvendor: { id: b, name: B }\nsignals: []\n", "LR004: invalid YAML")]
    [InlineData("vendor: { id: a, name: A\nsignals: []\n", "LR004: invalid YAML")]
    [InlineData("vendor: { id: a, name: A }\nsignals:\n  - { kind: release, date: 2026-01-01, model: M, weights: open, params_b: .nan, source: s }\n", "LR012: 'params_b' must be a finite number")]
    [InlineData("vendor: { id: a, name: A }\nsignals:\n  - { kind: release, date: 9999-01-01, model: M, weights: open, source: s }\n", "outside the years 1900 to 2200")]
    public void HostileShapes_GetLocatedErrors(string text, string expected)
    {
        var (dossiers, diags) = Read(("h.yaml", text));
        dossiers.ShouldBeEmpty();
        var messages = Messages(diags);
        messages.ShouldContain(m => m.Contains(expected, StringComparison.Ordinal) && m.StartsWith("h.yaml:", StringComparison.Ordinal));
    }

    [Fact]
    public void Samples_LoadWithoutErrors_AgainstTheBundledPack()
    {
        var diags = new DiagnosticBag();
        var pack = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags);
        pack.ShouldNotBeNull(TestPack.Errors(diags));
        var files = DossierReader.Expand([Repo.Path("samples/vendors"), Repo.Path("samples/cases"), Repo.Path("samples/holdout")], diags);
        var dossiers = DossierReader.ReadAll(files, pack.Catalog, new LicenseRisk.Yaml.Limits(), diags);
        TestPack.Errors(diags).ShouldBeEmpty();
        diags.Items.Where(d => d.Severity == Severity.Warning).Select(d => d.ToString()).ShouldBeEmpty();
        dossiers.Count.ShouldBe(files.Count);
        dossiers.Count.ShouldBeGreaterThanOrEqualTo(4);
    }
}
