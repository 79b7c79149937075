using System.Text.Json;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Scoring;

/// <summary>
/// Issue #15: what an analyst could have known on the as-of day. A signal reported after it is
/// ignored and reported like a future-dated one; once known, it decays from the event's date.
/// Absence is not evidence: the empty dossier scores the prior exactly.
/// </summary>
public sealed class KnownDateTests
{
    private const string Rules = """
        rules:
          - id: lead-left
            title: t
            weight: 1
            half_life_days: 100
            when:
              - signal: leadership_departure
                as: d
            because: "{d.person} left"
          - id: weights-followed
            title: t
            weight: -1
            when:
              - signal: release
                where: has(weights_date)
          - id: weights-not-yet
            title: t
            weight: 1
            when:
              - signal: release
                where: weights == 'staged' and not has(weights_date)
        """;

    private const string StagedSignals = """
        kinds:
          release:
            fields:
              model: { type: string, required: true }
              weights: { type: enum, values: [open, staged], required: true }
              weights_date: { type: date }
          leadership_departure:
            fields:
              person: { type: string }
              seniority: { type: enum, values: [founder, executive, lead, senior], required: true }
        """;

    private const string Departure = "  - { kind: leadership_departure, date: 2026-03-01, reported: 2026-03-25, person: A, seniority: lead, source: s }\n";

    [Fact]
    public void ASignalReportedAfterAsOf_IsIgnoredAndListed_LikeAFutureDatedOne()
    {
        using var pack = new TestPack(Rules, signals: StagedSignals);
        var s = Dossiers.Score(pack.CompileOk(), Departure, asOf: "2026-03-10");
        s.Contributions.ShouldBeEmpty();
        s.Probability.ShouldBe(0.2, 1e-12);
        var ignored = s.Ignored.ShouldHaveSingleItem();
        ignored.Reason.ShouldBe("reported 2026-03-25, after the as-of day");
        ignored.ReportedLater.ShouldBe(new DateOnly(2026, 3, 25));
        s.Warnings.ShouldContain("1 signal was reported after 2026-03-10 and ignored (not yet known; no look-ahead)");
    }

    [Fact]
    public void OnceReported_TheSignalCounts_AndDecaysFromTheEventDate()
    {
        using var pack = new TestPack(Rules, signals: StagedSignals);
        var s = Dossiers.Score(pack.CompileOk(), Departure, asOf: "2026-06-09");
        s.Ignored.ShouldBeEmpty();
        var c = s.Contributions.ShouldHaveSingleItem();
        c.Rule.ShouldBe("lead-left");

        // 100 days after the event (2026-03-01), 76 after the report: one half-life from the event.
        c.Decay.ShouldBe(0.5, 1e-12);
    }

    [Fact]
    public void ADateFieldAfterAsOf_IsNotYetKnown_SoRulesSeeItMissing()
    {
        using var pack = new TestPack(Rules, signals: StagedSignals);
        const string staged = "  - { kind: release, date: 2025-03-16, model: M, weights: staged, weights_date: 2025-06-30, source: s }\n";
        var compiled = pack.CompileOk();
        Dossiers.Fired(Dossiers.Score(compiled, staged, asOf: "2025-05-01")).ShouldBe(["weights-not-yet"]);
        Dossiers.Fired(Dossiers.Score(compiled, staged, asOf: "2025-07-01")).ShouldBe(["weights-followed"]);
    }

    [Fact]
    public void Backtest_ReportsASignalReportedAfterTheCase_AndTheScoreJsonNamesTheReportDay()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["late.yaml"], """
            vendor: { id: late, name: Late }
            signals:
              - { kind: leadership_departure, id: dep, date: 2026-03-01, reported: 2026-03-25, person: A, seniority: founder, source: s }
            case: { as_of: 2026-03-10, went_api_only: false }
            """);
        var backtest = CliProcess.InProcess("backtest", dir["late.yaml"], "--format", "json");
        backtest.ExitCode.ShouldBe(0, backtest.Stderr);
        // At the case block (line 4), as a located warning; calibrate, which scores the case the same way, says it too.
        var warning = $"{dir["late.yaml"]}:4:7: warning LR111: 1 signal(s) reported after the case's as_of 2026-03-10 are ignored (no look-ahead)";
        backtest.Stderr.ShouldContain(warning);
        var calibrate = CliProcess.InProcess("calibrate", dir["late.yaml"], "-o", dir["fit.yaml"]);
        calibrate.Stderr.ShouldContain(warning);
        CliProcess.InProcess("backtest", dir["late.yaml"], "--quiet").Stderr.ShouldNotContain("LR111");

        var score = CliProcess.InProcess("score", dir["late.yaml"], "--as-of", "2026-03-10", "--format", "json");
        score.ExitCode.ShouldBe(0, score.Stderr);
        using var doc = JsonDocument.Parse(score.Stdout);
        var ignored = doc.RootElement.GetProperty("vendors")[0].GetProperty("ignored_signals")[0];
        ignored.GetProperty("signal").GetString().ShouldBe("dep");
        ignored.GetProperty("date").GetString().ShouldBe("2026-03-01");
        ignored.GetProperty("reported").GetString().ShouldBe("2026-03-25");
    }

    [Fact]
    public void ReportedBeforeTheEvent_IsALocatedError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bad.yaml"], """
            vendor: { id: bad, name: Bad }
            signals:
              - kind: leadership_departure
                date: 2026-03-01
                reported: 2026-02-20
                seniority: lead
                source: s
            """);
        var r = CliProcess.InProcess("score", dir["bad.yaml"], "--as-of", "2026-03-10");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldContain("bad.yaml:5:15: error LR024: reported 2026-02-20 is before the event's date 2026-03-01");
    }

    [Fact]
    public void TheEmptyDossier_ScoresThePackPriorExactly_WithTheThinEvidenceMark()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["acme.yaml"], "vendor:\n  id: acme\n  name: Acme AI\nsignals: []\n");
        var json = CliProcess.InProcess("score", dir["acme.yaml"], "--as-of", "2026-03-05", "--format", "json");
        json.ExitCode.ShouldBe(0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var vendor = doc.RootElement.GetProperty("vendors")[0];
        vendor.GetProperty("probability").GetDouble().ShouldBe(0.2);
        vendor.GetProperty("contributions").GetArrayLength().ShouldBe(0);
        vendor.GetProperty("outweighed").GetArrayLength().ShouldBe(0);
        vendor.GetProperty("coverage").GetProperty("thin_evidence").GetBoolean().ShouldBeTrue();

        var table = CliProcess.InProcess("score", dir["acme.yaml"], "--as-of", "2026-03-05");
        table.ExitCode.ShouldBe(0, table.Stderr);
        table.Stdout.ShouldContain("acme    0.20  0.20-0.20     low *");
        table.Stdout.ShouldContain("No rule fired: the probability is the prior's.");
        table.Stdout.ShouldContain("* Thin evidence");
    }
}
