using LicenseRisk.Backtesting;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Backtesting;

public sealed class BacktestTests
{
    private static (CompiledPack Pack, IReadOnlyList<Dossier> Cases) CaseSet(string folder = "samples/cases")
    {
        var diags = new DiagnosticBag();
        var pack = PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags)!;
        var files = DossierReader.Expand([Repo.Path(folder)], diags);
        var dossiers = DossierReader.ReadAll(files, pack.Catalog, new LicenseRisk.Yaml.Limits(), diags);
        TestPack.Errors(diags).ShouldBeEmpty();
        return (pack, dossiers);
    }

    /// <summary>The development set (samples/cases) and its backtest, read and run once; the tests only read them (a changed case is a copy made with `with`).</summary>
    private static readonly Lazy<(CompiledPack Pack, IReadOnlyList<Dossier> Cases, BacktestReport Report)> Development = new(() =>
    {
        var (pack, cases) = CaseSet();
        return (pack, cases, Backtester.Run(pack, cases));
    });

    [Fact]
    public void DevelopmentSet_FiguresDoNotRegress()
    {
        // The targets: Brier skill >= 0.25 and AUC >= 0.8 (not met: see rules/README.md,
        // "Second review"; these floors are today's figures, so a rule change that worsens them
        // fails here). Pack 1.1.0 with issue #15's rules gave skill 0.166 and AUC 0.750; pack 1.2.0
        // (two fitted weights, rules/README.md "Argued and fitted weights") gives 0.158 and 0.867.
        // Reliability: 6 of the 16 cases flipped, far above the prior 0.20, and the better ranking
        // of 1.2.0 puts 4 of its 6 cases in the 0.2-0.4 bin into flips, so that bin is off by
        // 0.375 (1.1.0: 0.222); the floor is that figure, not a calibration target.
        // Pack 1.4.0 (media-generation-flagship: Wan's video flagships) gives skill 0.174 and AUC
        // 0.883; the floors are tightened from 0.15 and 0.86.
        // Pack 1.5.0 (enterprise-offering 0, all-flagships-open -0.1, open-flagship-cadence -0.35,
        // from the library's counts: rules/README.md "Fifth review") gives skill 0.183 and AUC
        // 0.917; the floors are tightened to 0.18 and 0.91. Its better ranking moves one more flip
        // into the 0.2-0.4 bin (7 cases, mean forecast 0.279, observed 0.714: 5 of them flipped),
        // so that bin is off by 0.435 and its bound is loosened from 0.38 to 0.44: it measures the
        // set's enrichment with flips (6 of 16 against a prior of 0.20), not a calibration target.
        var report = Development.Value.Report;
        report.Cases.ShouldBe(16);
        report.Positives.ShouldBe(6);
        report.Auc.ShouldBeGreaterThanOrEqualTo(0.91);
        report.BrierSkillScore.ShouldBeGreaterThanOrEqualTo(0.18);
        report.Brier.ShouldBeLessThan(report.BaseRateBrier);
        report.Reliability.Where(b => b.Cases >= 3).ShouldAllBe(b => Math.Abs(b.MeanPredicted - b.Observed) <= 0.44);

        // The likelihood-ratio check needs no base rate, so the set's enrichment does not bias it:
        // over the cases that did not flip the pack's evidence averages to an LR of 0.76 (1.1.0: 0.94),
        // over the flips 1/LR averages 0.84 (1.1.0: 0.77; 1.4.0: 0.77, Wan's video flagships).
        report.MeanLrNoFlip.ShouldBeInRange(0.7, 1.1);
        report.MeanInverseLrFlipped.ShouldBeInRange(0.6, 1.1);
    }

    [Fact]
    public void TheSkillInterval_IsAgainstThePrior_AsThePointFigureIs()
    {
        // Independently of Backtester's plumbing: group the cases, draw with the same seed, and score
        // each draw against the prior at each case's horizon (base-rate Brier), not its own flip rate.
        var (pack, cases, report) = Development.Value;
        var withCase = cases.Where(d => d.Case is not null).ToList();
        var (groupOf, names) = CaseGroups.Of(withCase);
        var y = withCase.Select(d => d.Case!.WentApiOnly).ToList();
        var p = withCase.Select(d => report.Results.Single(r => ReferenceEquals(r.Score.Dossier, d)).Probability).ToList();
        var prior = withCase.Select(d => Scorer.ToHorizon(pack.Model.Prior, (double)d.Case!.HorizonMonths / pack.Model.HorizonMonths)).ToList();
        var (draws, skipped) = ClusterBootstrap.Draws(groupOf, y, ClusterBootstrap.DefaultDraws, ClusterBootstrap.DefaultSeed);
        var expected = ClusterBootstrap.Percentile(draws.Select(d =>
        {
            var dy = d.Select(i => y[i]).ToList();
            return Metrics.SkillScore(Metrics.Brier([.. d.Select(i => p[i])], dy), Metrics.Brier([.. d.Select(i => prior[i])], dy));
        }));

        var b = report.Bootstrap.ShouldNotBeNull();
        (b.Groups, b.Cases, b.Draws, b.Skipped).ShouldBe((names.Count, 16, 2000, skipped));
        var interval = report.Intervals.ShouldNotBeNull().Skill;
        interval.ShouldBe(expected);
        interval.Contains(report.BrierSkillScore).ShouldBeTrue($"{report.BrierSkillScore} outside {interval}");
    }

    [Fact]
    public void HoldoutSet_FiguresDoNotRegress()
    {
        // samples/holdout: 19 cases written in session 2, after the second review's weight changes,
        // without reading the rules; no weight was changed after they were seen (the prior was:
        // see rules/README.md). The floors were first the measured figures (Brier 0.199 against a
        // base rate of 0.229, skill 0.133, AUC 0.705); pack 1.3.0 gave 0.180, 0.215, 0.821 and pack
        // 1.4.0 (media-generation-flagship: Stability's image flagships) gives 0.179, 0.221, 0.821,
        // so they are tightened to 0.21 and 0.80. Pack 1.5.0 gives 0.177, 0.230, 0.872: tightened
        // to 0.22 and 0.86.
        var (pack, cases) = CaseSet("samples/holdout");
        var report = Backtester.Run(pack, cases);
        report.Cases.ShouldBe(19);
        report.Positives.ShouldBe(6);
        report.Brier.ShouldBeLessThan(report.BaseRateBrier);
        report.BrierSkillScore.ShouldBeGreaterThanOrEqualTo(0.22);
        report.Auc.ShouldBeGreaterThanOrEqualTo(0.86);
        report.MeanLrNoFlip.ShouldBeInRange(0.9, 1.25);
    }

    [Fact]
    public void LikelihoodRatioCheck_IsTakenAtTheCasesOwnHorizon()
    {
        // Meta 2023 judged over 24 months instead of 12: the evidence is the odds of the 24-month
        // forecast against the odds of the 24-month prior, not the 12-month summed contributions.
        var (pack, cases, _) = Development.Value;
        var meta = cases.Single(c => c.Vendor.Id == "meta");
        var twoYears = meta with { Case = meta.Case! with { HorizonMonths = 24 } };
        var report = Backtester.Run(pack, [twoYears]);
        var p = report.Results.Single().Probability;
        var prior24 = 1 - Math.Pow(1 - pack.Model.Prior, 2);
        report.MeanLrNoFlip.ShouldBe(p / (1 - p) / (prior24 / (1 - prior24)), 1e-9);
        double.IsNaN(report.MeanInverseLrFlipped).ShouldBeTrue();

        var oneYear = Backtester.Run(pack, [meta]);
        oneYear.MeanLrNoFlip.ShouldBe(Math.Exp(oneYear.Results.Single().Score.Contributions.Sum(c => c.Value)), 1e-9);
        Math.Abs(oneYear.MeanLrNoFlip - report.MeanLrNoFlip).ShouldBeGreaterThan(0.02); // 0.028 with pack 1.2.0
    }

    [Fact]
    public void Backtest_HasNoLookAhead_ASignalAfterAsOfChangesNothing()
    {
        var (pack, cases, _) = Development.Value;
        var mistral = cases.Single(c => c.Vendor.Id == "mistral");
        var before = Backtester.Run(pack, [mistral]).Results.Single();

        // Mistral Large shipped API-only on 2024-02-26, after the case's as_of (2023-10-15).
        var kind = pack.Catalog.Find("release")!;
        var future = new SignalRecord(kind, new DateOnly(2024, 2, 26), 1, "s", null, "mistral-large",
            [new FieldValue(kind.Field("model")!, 0, "Mistral Large", false), new FieldValue(kind.Field("weights")!, 0, "api_only", false), new FieldValue(kind.Field("tier")!, 0, "flagship", false)],
            new SourceSpan("x.yaml", 1, 1));
        var leaked = mistral with { Signals = [.. mistral.Signals, future] };
        var after = Backtester.Run(pack, [leaked]).Results.Single();

        after.Probability.ShouldBe(before.Probability);
        after.Score.Ignored.Single().Label.ShouldBe("mistral-large");
    }

    [Fact]
    public void ThinEvidence_IsFlagged_NotShownAsConfidentlyLow()
    {
        using var pack = new TestPack("""
            rules:
              - id: r
                title: t
                weight: -1
                when:
                  - signal: release
            """);
        var compiled = pack.CompileOk();
        var thin = Dossiers.Score(compiled, "  - { kind: release, date: 2026-03-01, model: M, weights: open, source: s }\n");
        thin.Coverage.ThinEvidence.ShouldBeTrue();
        thin.Coverage.ThinReason.ShouldBe("only 1 signal known");
        thin.Coverage.NewestSignalAgeDays.ShouldBe(9);

        var many = string.Concat(Enumerable.Range(1, 6).Select(i => $"  - {{ kind: release, date: 2026-02-0{i}, model: M{i}, weights: open, source: s }}\n"));
        var rich = Dossiers.Score(compiled, many);
        rich.Coverage.ThinEvidence.ShouldBeFalse();
        rich.Coverage.GroupsWithData.ShouldBe(["r"]);
    }

    [Fact]
    public void Coverage_ListsFactorGroupsWithoutData()
    {
        var diags = new DiagnosticBag();
        var pack = PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags)!;
        var dossier = DossierReader.ReadFile(Repo.Path("samples/vendors/qwen.yaml"), pack.Catalog, new LicenseRisk.Yaml.Limits(), diags)!;
        var score = Evaluator.Score(pack, dossier, new DateOnly(2026, 3, 5));
        score.Coverage.GroupsWithData.ShouldContain("leadership-turnover");
        score.Coverage.GroupsWithoutData.ShouldContain("acquired-by-closed-acquirer");
        score.Coverage.ThinEvidence.ShouldBeFalse();
    }
}
