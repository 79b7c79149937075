using LicenseRisk.Rules;

namespace LicenseRisk.Tests.Rules;

/// <summary>Each construct lowered to NRules and fired against hand-built signals.</summary>
public sealed class LoweringTests
{
    private const string Departure = "  - { kind: leadership_departure, date: 2026-03-03, person: Lin, seniority: lead, source: s }\n";
    private const string OpenRelease = "  - { kind: release, date: 2026-03-02, model: Small, weights: open, source: s }\n";

    [Fact]
    public void WarmUp_CompilesAndFiresItsOwnRule()
    {
        // The CLI runs it on a background thread and ignores failures: a failure would only cost time.
        PackCompiler.WarmUp().ShouldBe(1);
    }

    [Fact]
    public void Join_DepartureAfterOpenRelease_Fires()
    {
        using var pack = new TestPack("""
            rules:
              - id: lead-after-release
                title: t
                weight: 0.8
                when:
                  - signal: leadership_departure
                    as: dep
                    where: seniority in ['founder', 'executive', 'lead']
                  - signal: release
                    as: rel
                    where: weights == 'open' and days(rel.date, dep.date) between 0 and 30
                because: "{dep.person} left {days(rel.date, dep.date)} days after {rel.model}"
            """);
        var compiled = pack.CompileOk();
        var s = Dossiers.Score(compiled, Departure + OpenRelease);
        s.Contributions.Single().Because.ShouldBe("Lin left 1 days after Small");
        Dossiers.Score(compiled, Departure).Contributions.ShouldBeEmpty();
        Dossiers.Score(compiled, OpenRelease.Replace("open", "api_only", StringComparison.Ordinal) + Departure).Contributions.ShouldBeEmpty();
    }

    [Fact]
    public void No_FiresOnlyWithoutAMatch_AndSeesEarlierAliases()
    {
        using var pack = new TestPack("""
            rules:
              - id: no-later-release
                title: t
                weight: 0.5
                decay: false
                when:
                  - signal: leadership_departure
                    as: dep
                  - no: release
                    where: date > dep.date
            """);
        var compiled = pack.CompileOk();
        Dossiers.Score(compiled, Departure + OpenRelease).Contributions.Single().Rule.ShouldBe("no-later-release");
        var later = "  - { kind: release, date: 2026-03-05, model: M, weights: open, source: s }\n";
        Dossiers.Score(compiled, Departure + later).Contributions.ShouldBeEmpty();
    }

    private const string CountRules = """
        rules:
          - id: exodus
            title: t
            weight: 0.7
            when:
              - count: leadership_departure
                as: n
                where: age <= 180
                at_least: 3
            because: "{n.count} left, latest {n.newest}"
          - id: quiet
            title: t
            weight: -0.2
            decay: false
            when:
              - count: leadership_departure
                at_most: 0
            because: "{count} departures"
        """;

    [Fact]
    public void Count_AtLeast_FiresOnceWithTheCount()
    {
        using var pack = new TestPack(CountRules);
        var compiled = pack.CompileOk();
        var three = Departure + Departure.Replace("03-03", "03-04", StringComparison.Ordinal) + Departure.Replace("03-03", "01-01", StringComparison.Ordinal);
        var s = Dossiers.Score(compiled, three);
        Dossiers.Fired(s).ShouldBe(["exodus"]);
        s.Contributions.Single().Because.ShouldBe("3 left, latest 2026-03-04");
        Dossiers.Fired(Dossiers.Score(compiled, Departure + Departure)).ShouldBeEmpty();
    }

    [Fact]
    public void Count_AtMostZero_FiresOnAnEmptySet()
    {
        using var pack = new TestPack(CountRules);
        var compiled = pack.CompileOk();
        var s = Dossiers.Score(compiled, OpenRelease);
        Dossiers.Fired(s).ShouldBe(["quiet"]);
        s.Contributions.Single().Because.ShouldBe("0 departures");
        s.Contributions.Single().Confidence.ShouldBe(1);
        Dossiers.Fired(Dossiers.Score(compiled, "  []\n".Replace("  []\n", "  - { kind: hiring, date: 2026-01-01, from_closed_lab: true, source: s }\n", StringComparison.Ordinal))).ShouldBe(["quiet"]);
    }

    /// <summary>A rule's start: hiring-wave, whose first item sums the closed-lab hires (as h, at least 10).</summary>
    private const string HiringWaveSum = """
        rules:
          - id: hiring-wave
            title: t
            weight: 0.4
            when:
              - sum: hiring.count
                as: h
                where: from_closed_lab
                at_least: 10

        """;

    private const string SixFromClosedLab = "  - { kind: hiring, date: 2026-01-01, count: 6, from_closed_lab: true, source: s }\n";

    [Fact]
    public void Sum_AddsANumericFieldAndSkipsMissingValues()
    {
        using var pack = new TestPack(HiringWaveSum + """
                because: "{h.sum} hires from closed labs"
            """);
        var compiled = pack.CompileOk();
        const string NoCount = "  - { kind: hiring, date: 2026-01-02, from_closed_lab: true, source: s }\n";
        const string Open = "  - { kind: hiring, date: 2026-01-03, count: 9, from_closed_lab: false, source: s }\n";
        Dossiers.Fired(Dossiers.Score(compiled, SixFromClosedLab + NoCount + Open)).ShouldBeEmpty();
        var s = Dossiers.Score(compiled, SixFromClosedLab + SixFromClosedLab + NoCount);
        s.Contributions.Single().Because.ShouldBe("12 hires from closed labs");

        // Confidence: the most confident signals with a count, until they reach at_least (6 at 0.9,
        // then 4 at 0.8 make 10; the 5 at 0.5 is not needed).
        var mixed = Dossiers.Score(
            compiled,
            "  - { kind: hiring, date: 2026-01-01, count: 6, from_closed_lab: true, confidence: 0.9, source: s }\n"
            + "  - { kind: hiring, date: 2026-01-02, count: 5, from_closed_lab: true, confidence: 0.5, source: s }\n"
            + "  - { kind: hiring, date: 2026-01-03, count: 4, from_closed_lab: true, confidence: 0.8, source: s }\n"
            + NoCount);
        mixed.Contributions.Single().Confidence.ShouldBe(0.9 * 0.8, 1e-12);
    }

    [Fact]
    public void Sum_BareAliasIsTheSum_BareCountAliasIsTheCount()
    {
        // rule-format v1: `as` binds "the count and the matched set" of a count item, "likewise" the sum of a sum item.
        using var pack = new TestPack(HiringWaveSum + """
                  - count: hiring
                    as: c
                    at_least: 1
                because: "{h} hires in {c} batches"
              - id: big-wave
                title: t
                weight: 0.2
                when:
                  - sum: hiring.count
                    as: h
                    at_least: 1
                  - signal: hiring
                    where: h >= 12
            """);
        var compiled = pack.CompileOk();
        var s = Dossiers.Score(compiled, SixFromClosedLab + SixFromClosedLab);
        s.Contributions.Single(c => c.Rule == "hiring-wave").Because.ShouldBe("12 hires in 2 batches");
        Dossiers.Fired(s).ShouldContain("big-wave");
    }

    [Fact]
    public void Any_CountsTheRuleOnceWhenSeveralBranchesMatch()
    {
        using var pack = new TestPack("""
            rules:
              - id: either
                title: t
                weight: 0.6
                decay: false
                when:
                  - any:
                      - - signal: leadership_departure
                          as: x
                          where: seniority == 'lead'
                      - - signal: leadership_departure
                          as: x
                          where: person == 'Lin'
                because: "{x.person}"
            """);
        var compiled = pack.CompileOk();
        var s = Dossiers.Score(compiled, Departure);
        s.Contributions.Count.ShouldBe(1);
        s.Contributions[0].Value.ShouldBe(0.6, 1e-12);
        s.Contributions[0].Because.ShouldBe("Lin");
        Dossiers.Fired(Dossiers.Score(compiled, OpenRelease)).ShouldBeEmpty();
    }

    [Fact]
    public void SeveralFirings_CountTheStrongestOnce()
    {
        using var pack = new TestPack("""
            rules:
              - id: any-departure
                title: t
                weight: 1
                when:
                  - signal: leadership_departure
                    as: d
                because: "{d.person}"
            """);
        var compiled = pack.CompileOk();
        var weak = "  - { kind: leadership_departure, date: 2026-03-03, person: Weak, seniority: lead, confidence: 0.5, source: s }\n";
        var strong = "  - { kind: leadership_departure, date: 2026-03-03, person: Strong, seniority: lead, confidence: 0.9, source: s }\n";
        var s = Dossiers.Score(compiled, weak + strong, asOf: "2026-03-03");
        s.Contributions.Single().Because.ShouldBe("Strong");
        s.Contributions.Single().Value.ShouldBe(0.9, 1e-12);
    }

    [Fact]
    public void Derive_ChainsIntoAnotherRule()
    {
        using var pack = new TestPack("""
            rules:
              - id: closed-lab-appointment
                title: t
                when:
                  - signal: leadership_appointment
                    as: app
                    where: from_closed_lab
                derive:
                  kind: closed_lab_leadership
                  date: "{app.date}"
                  fields: { from_org: "{app.from_org}" }
              - id: closed-lab-leader
                title: t
                weight: 0.5
                decay: false
                when:
                  - signal: closed_lab_leadership
                    as: c
                because: "leader from {c.from_org}"
            """);
        var compiled = pack.CompileOk();
        var s = Dossiers.Score(compiled, "  - { kind: leadership_appointment, date: 2026-03-04, person: Zhou, from_org: Google DeepMind, from_closed_lab: true, confidence: 0.9, source: s }\n");
        s.Contributions.Single().Because.ShouldBe("leader from Google DeepMind");
        s.Contributions.Single().Confidence.ShouldBe(0.9, 1e-12);
        var derived = s.Derived.Single();
        derived.Kind.ShouldBe("closed_lab_leadership");
        derived.Date.ShouldBe(new DateOnly(2026, 3, 4));
        derived.Fields.ShouldBe([new("from_org", "Google DeepMind")]);
        Dossiers.Score(compiled, "  - { kind: leadership_appointment, date: 2026-03-04, from_closed_lab: false, source: s }\n").Derived.ShouldBeEmpty();
    }

    [Fact]
    public void Derive_IsRetractedWhenItsSupportGoes()
    {
        // a-without-b derives flag_a while no flag_b exists; b-from-departure then derives flag_b,
        // so flag_a (and the rule reading it) must disappear: truth maintenance.
        using var pack = new TestPack("""
            rules:
              - id: a-without-b
                title: t
                when:
                  - signal: release
                  - no: flag_b
                derive: { kind: flag_a }
              - id: b-from-departure
                title: t
                when:
                  - signal: leadership_departure
                derive: { kind: flag_b }
              - id: reads-a
                title: t
                weight: 1
                when:
                  - signal: flag_a
            """);
        var compiled = pack.CompileOk();
        var onlyRelease = Dossiers.Score(compiled, OpenRelease);
        onlyRelease.Derived.Select(d => d.Kind).ShouldBe(["flag_a"]);
        Dossiers.Fired(onlyRelease).ShouldBe(["reads-a"]);

        var both = Dossiers.Score(compiled, OpenRelease + Departure);
        both.Derived.Select(d => d.Kind).ShouldBe(["flag_b"]);
        Dossiers.Fired(both).ShouldBeEmpty();
    }

    private static readonly string SeniorDeparture = Departure.Replace("seniority: lead", "seniority: senior", StringComparison.Ordinal);

    private const string DerivedFlagSignals = TestPack.Signals + """

          flag_c:
            derived: true
          flag_d:
            derived: true
        """;

    [Theory]
    [InlineData(ExpressionCompilerKind.Fast)]
    [InlineData(ExpressionCompilerKind.Interpreted)]
    public void No_SeesADerivedSignalChangeAfterItWasDerived(ExpressionCompilerKind compiler)
    {
        // stamp derives flag_b dated by the newest flag_c. early-c gives a flag_c on the release
        // day at once; late-c gives one on a lead's departure day only after flag_d exists, so
        // stamp fires on one flag_c (flag_b dated 2026-03-02) and again on two: flag_b is then
        // updated in place to 2026-03-03. no-earlier-flag reads flag_b through no: and must see
        // the update (the not-node re-tests the updated signal).
        using var pack = new TestPack(
            """
            rules:
              - id: early-c
                title: t
                when:
                  - signal: release
                    as: r
                derive: { kind: flag_c, date: "{r.date}" }
              - id: d-from-lead
                title: t
                when:
                  - signal: leadership_departure
                    as: dep
                    where: seniority == 'lead'
                derive: { kind: flag_d, date: "{dep.date}" }
              - id: late-c
                title: t
                when:
                  - signal: flag_d
                    as: d
                derive: { kind: flag_c, date: "{d.date}" }
              - id: stamp
                title: t
                when:
                  - count: flag_c
                    as: c
                    at_least: 1
                derive: { kind: flag_b, date: "{c.newest}" }
              - id: no-earlier-flag
                title: t
                weight: 1
                decay: false
                when:
                  - signal: leadership_departure
                    as: dep
                  - no: flag_b
                    where: date < dep.date
            """,
            signals: DerivedFlagSignals);
        var compiled = pack.CompileOk(compiler);

        // The lead's flag_c moves flag_b to the departure day: no flag_b before it is left.
        var updated = Dossiers.Score(compiled, OpenRelease + Departure);
        updated.Derived.Where(d => d.Kind == "flag_b").Select(d => d.Date).ShouldBe([new DateOnly(2026, 3, 3)]);
        Dossiers.Fired(updated).ShouldBe(["no-earlier-flag"]);

        // A senior's departure derives no flag_c: flag_b stays on the release day, before it.
        var senior = Dossiers.Score(compiled, OpenRelease + SeniorDeparture);
        senior.Derived.Where(d => d.Kind == "flag_b").Select(d => d.Date).ShouldBe([new DateOnly(2026, 3, 2)]);
        Dossiers.Fired(senior).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(ExpressionCompilerKind.Fast)]
    [InlineData(ExpressionCompilerKind.Interpreted)]
    public void No_InsideAnyBranches_AndOnARetractedDerivedSignal(ExpressionCompilerKind compiler)
    {
        // quiet: a departure with no later release, or a release with no flag_a. flag_a is derived
        // from a release while no flag_b exists, and retracted when a lead's departure derives
        // flag_b (truth maintenance): the not-node must see it go.
        using var pack = new TestPack(
            """
            rules:
              - id: a-without-b
                title: t
                when:
                  - signal: release
                  - no: flag_b
                derive: { kind: flag_a }
              - id: b-from-lead
                title: t
                when:
                  - signal: leadership_departure
                    where: seniority == 'lead'
                derive: { kind: flag_b }
              - id: quiet
                title: t
                weight: 1
                decay: false
                when:
                  - any:
                      - - signal: leadership_departure
                          as: dep
                        - no: release
                          where: date > dep.date
                      - - signal: release
                        - no: flag_a
            """,
            signals: DerivedFlagSignals);
        var compiled = pack.CompileOk(compiler);

        // Release only: flag_a exists, and there is no departure: quiet does not fire.
        var release = Dossiers.Score(compiled, OpenRelease);
        release.Derived.Select(d => d.Kind).ShouldBe(["flag_a"]);
        Dossiers.Fired(release).ShouldBeEmpty();

        // Release and a lead's departure: flag_b retracts flag_a, so the second branch fires; the
        // release is before the departure, so the first branch fires too (quiet counts once).
        var both = Dossiers.Score(compiled, OpenRelease + Departure);
        both.Derived.Select(d => d.Kind).ShouldBe(["flag_b"]);
        Dossiers.Fired(both).ShouldBe(["quiet"]);

        // A later release blocks the first branch; a senior's departure derives no flag_b, so
        // flag_a stays and blocks the second.
        var later = Dossiers.Score(compiled, SeniorDeparture + OpenRelease.Replace("03-02", "03-05", StringComparison.Ordinal));
        later.Derived.Select(d => d.Kind).ShouldBe(["flag_a"]);
        Dossiers.Fired(later).ShouldBeEmpty();
    }

    [Fact]
    public void MissingOptionalField_MakesComparisonsFalse_AndHasSeesIt()
    {
        using var pack = new TestPack("""
            rules:
              - id: not-to-google
                title: t
                weight: 1
                when:
                  - signal: leadership_departure
                    where: to_org != 'Google'
              - id: no-destination
                title: t
                weight: 1
                when:
                  - signal: leadership_departure
                    where: not has(to_org)
              - id: to-closed
                title: t
                weight: 1
                when:
                  - signal: leadership_departure
                    where: to_closed_lab
            """);
        var compiled = pack.CompileOk();
        Dossiers.Fired(Dossiers.Score(compiled, Departure)).ShouldBe(["no-destination"]);
        var withOrg = "  - { kind: leadership_departure, date: 2026-03-03, seniority: lead, to_org: ByteDance, to_closed_lab: true, source: s }\n";
        Dossiers.Fired(Dossiers.Score(compiled, withOrg)).ShouldBe(["not-to-google", "to-closed"]);
    }

    [Fact]
    public void Functions_AsOfAndDateLiterals()
    {
        using var pack = new TestPack("""
            rules:
              - id: fns
                title: t
                weight: 1
                when:
                  - signal: release
                    as: r
                    where: >-
                      contains(lower(model), 'qwen') and starts_with(model, 'Q')
                      and date >= date('2026-01-01') and as_of - 30 < date and age == 8
                      and params_b * 2 + 1 > 10 and -params_b < 0 and params_b / 2 <= 4.5
                because: "{r.model} as of {as_of}, {r.params_b} B, license {r.license}"
            """);
        var compiled = pack.CompileOk();
        var s = Dossiers.Score(compiled, "  - { kind: release, date: 2026-03-02, model: Qwen3.5-9B, weights: open, params_b: 9, source: s }\n");
        s.Contributions.Single().Because.ShouldBe("Qwen3.5-9B as of 2026-03-10, 9 B, license ?");
        Dossiers.Fired(Dossiers.Score(compiled, "  - { kind: release, date: 2026-03-02, model: Qwen3.5-9B, weights: open, params_b: 10, source: s }\n")).ShouldBeEmpty();
    }

    [Fact]
    public void FastAndSystemCompilers_ScoreIdentically()
    {
        using var pack = new TestPack(CountRules);
        var (fast, _) = pack.Compile(ExpressionCompilerKind.Fast);
        var (system, _) = pack.Compile(ExpressionCompilerKind.System);
        var signals = Departure + Departure + Departure.Replace("03-03", "02-01", StringComparison.Ordinal);
        var a = Dossiers.Score(fast!, signals);
        var b = Dossiers.Score(system!, signals);
        a.Probability.ShouldBe(b.Probability);
        a.Contributions.Select(c => c.Because).ShouldBe(b.Contributions.Select(c => c.Because));
    }

    [Theory]
    [InlineData(ExpressionCompilerKind.Fast)]
    [InlineData(ExpressionCompilerKind.Interpreted)]
    public void Compilers_ScoreTheWholeCorpusLikeTheDefaultCompiler(ExpressionCompilerKind kind)
    {
        // The whole test corpus: every sample vendor and case, and every rule test of the bundled pack.
        var reference = new DiagnosticBagPack(ExpressionCompilerKind.System);
        var other = new DiagnosticBagPack(kind);
        var asOf = new DateOnly(2026, 3, 5);
        var diags = new LicenseRisk.Model.DiagnosticBag();
        var dossiers = LicenseRisk.Yaml.DossierReader.ReadAll(LicenseRisk.Yaml.DossierReader.Expand([Repo.Path("samples/vendors"), Repo.Path("samples/cases"), Repo.Path("samples/holdout")], diags), reference.Pack.Catalog, new LicenseRisk.Yaml.Limits(), diags);
        dossiers.Count.ShouldBeGreaterThan(20);
        foreach (var d in dossiers)
        {
            var a = LicenseRisk.Scoring.Evaluator.Score(reference.Pack, d, d.Case?.AsOf ?? asOf);
            var b = LicenseRisk.Scoring.Evaluator.Score(other.Pack, d, d.Case?.AsOf ?? asOf);
            b.Probability.ShouldBe(a.Probability);
            b.Contributions.Select(c => (c.Rule, c.Because, c.Value)).ShouldBe(a.Contributions.Select(c => (c.Rule, c.Because, c.Value)));
            b.Derived.Count.ShouldBe(a.Derived.Count);
        }

        var tests = LicenseRisk.Testing.RuleTests.Read(Repo.Path("rules"), reference.Pack, new LicenseRisk.Yaml.Limits(), diags);
        tests.Count.ShouldBeGreaterThan(50);
        var expected = LicenseRisk.Testing.RuleTests.RunAll(reference.Pack, tests);
        var actual = LicenseRisk.Testing.RuleTests.RunAll(other.Pack, tests);
        for (var i = 0; i < tests.Count; i++)
        {
            actual[i].Failures.ShouldBe(expected[i].Failures, tests[i].Name);
        }
    }

    private sealed class DiagnosticBagPack
    {
        public DiagnosticBagPack(ExpressionCompilerKind kind)
        {
            var diags = new LicenseRisk.Model.DiagnosticBag();
            Pack = PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags, kind)!;
            diags.HasErrors.ShouldBeFalse();
        }

        public CompiledPack Pack { get; }
    }
}

public sealed class AggregateAliasTests
{
    [Fact]
    public void CountAlias_IsUsableInALaterWhere()
    {
        using var pack = new TestPack("""
            rules:
              - id: more-departures-than-hires
                title: t
                weight: 1
                when:
                  - count: leadership_departure
                    as: d
                    at_least: 1
                  - count: hiring
                    as: h
                    at_least: 0
                  - signal: release
                    where: d.count > h.count
                because: "{d.count} departures, {h.count} hiring signals"
            """);
        var compiled = pack.CompileOk();
        const string Dep = "  - { kind: leadership_departure, date: 2026-03-03, seniority: lead, source: s }\n";
        const string Hire = "  - { kind: hiring, date: 2026-03-03, from_closed_lab: false, source: s }\n";
        const string Rel = "  - { kind: release, date: 2026-03-02, model: M, weights: open, source: s }\n";
        Dossiers.Score(compiled, Dep + Dep + Hire + Rel).Contributions.Single().Because.ShouldBe("2 departures, 1 hiring signals");
        Dossiers.Score(compiled, Dep + Hire + Hire + Rel).Contributions.ShouldBeEmpty();
    }
}
