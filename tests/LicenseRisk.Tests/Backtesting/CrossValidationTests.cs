using LicenseRisk.Backtesting;
using LicenseRisk.Model;
using LicenseRisk.Rules;

namespace LicenseRisk.Tests.Backtesting;

/// <summary>The case library (samples/cases, holdout, library) backtested and cross-validated once, from the real files.</summary>
public sealed class LibraryCrossValidation
{
    public LibraryCrossValidation()
    {
        // The pack and the cases as CaseLibraryTests reads them: compiled and read once for both.
        var (dossiers, diags, _, pack) = CaseLibraryTests.Library.Value;
        Pack = pack;
        TestPack.Errors(diags).ShouldBeEmpty();
        Cases = Backtester.Run(Pack, dossiers).Results;
        Result = CrossValidator.Run(Pack, Cases);
    }

    public CompiledPack Pack { get; }

    public IReadOnlyList<CaseResult> Cases { get; }

    public NestedCrossValidation Result { get; }
}

public sealed class CrossValidationTests(LibraryCrossValidation library) : IClassFixture<LibraryCrossValidation>
{
    private IReadOnlyList<CaseResult> Cases => library.Cases;

    private NestedCrossValidation Cv => library.Result;

    [Fact]
    public void LeaveOneCompanyOut_NoFoldTrainsOnAVendorOrCompanyItTests()
    {
        Cv.ByCompany.Folds.Count.ShouldBeGreaterThan(40);
        foreach (var fold in Cv.ByCompany.Folds)
        {
            var testIds = fold.TestRows.Select(i => Cases[i].Score.Id).ToHashSet();
            var trainIds = fold.TrainRows.Select(i => Cases[i].Score.Id).ToHashSet();
            testIds.Overlaps(trainIds).ShouldBeFalse($"fold {fold.Name} trains on a vendor it tests");
            var testCompanies = fold.TestRows.SelectMany(i => CaseGroups.NamesOf(Cases[i].Score.Dossier.Vendor)).ToHashSet();
            var trainCompanies = fold.TrainRows.SelectMany(i => CaseGroups.NamesOf(Cases[i].Score.Dossier.Vendor)).ToHashSet();
            testCompanies.Overlaps(trainCompanies).ShouldBeFalse($"fold {fold.Name} trains on a company it tests");
            (fold.TrainRows.Count + fold.TestRows.Count).ShouldBe(Cases.Count);
        }

        Cv.ByCompany.Folds.SelectMany(f => f.TestRows).Order().ShouldBe(Enumerable.Range(0, Cases.Count), "every case is tested once");
    }

    [Theory]
    [InlineData("meta", "meta-speech")]
    [InlineData("openai", "openai-speech")]
    [InlineData("qwen", "alibaba-wan", "alibaba-qwen-vl")]
    [InlineData("google-gemma", "google-research")]
    [InlineData("mosaicml", "databricks")]
    [InlineData("zhipu", "zhipu-cogview")]
    [InlineData("stability-ai", "stability-ai-audio")]
    [InlineData("nvidia", "nvidia-cosmos")]
    [InlineData("microsoft", "microsoft-research")]
    [InlineData("tencent-hunyuan-image", "tencent-hunyuan-video")]
    [InlineData("bigscience", "bigcode", "huggingface-m4")]
    [InlineData("deepseek", "deepseek-coder")]
    public void LinesOfOneCompany_AreTestedInOneFold(params string[] vendors)
    {
        var folds = Cv.ByCompany.Cases.Where(c => vendors.Contains(c.Case.Score.Id)).Select(c => c.Fold).Distinct().ToList();
        Cv.ByCompany.Cases.Select(c => c.Case.Score.Id).Distinct().Count(vendors.Contains).ShouldBe(vendors.Length);
        folds.Count.ShouldBe(1, string.Join(", ", folds));
    }

    [Fact]
    public void UnrelatedVendors_AreNotJoined()
    {
        string Fold(string id) => Cv.ByCompany.Cases.Where(c => c.Case.Score.Id == id).Select(c => c.Fold).Distinct().ShouldHaveSingleItem();
        Fold("ai-singapore").ShouldNotBe(Fold("ai21"));
        Fold("shanghai-ai-lab").ShouldNotBe(Fold("baai"));
        Fold("deepseek").ShouldNotBe(Fold("baichuan"));
        Fold("deepseek").Split('+').ShouldAllBe(id => id.StartsWith("deepseek", StringComparison.Ordinal));
    }

    [Fact]
    public void TimeSplit_NeverTrainsOnACaseDatedAfterTheTestCases()
    {
        var split = Cv.Options.TimeSplit;
        var fold = Cv.ByTime.Folds.ShouldHaveSingleItem();
        var trainDays = fold.TrainRows.Select(i => Cases[i].Score.AsOf).ToList();
        var testDays = fold.TestRows.Select(i => Cases[i].Score.AsOf).ToList();
        trainDays.Max().ShouldBeLessThan(testDays.Min());
        trainDays.ShouldAllBe(d => d < split);
        testDays.ShouldAllBe(d => d >= split);
        (trainDays.Count + testDays.Count).ShouldBe(Cases.Count);
        fold.TrainNewest.ShouldBe(trainDays.Max());
        Cv.ByTime.Cases.Count.ShouldBe(testDays.Count);
    }

    [Fact]
    public void AWeight_MovesOnlyOnEnoughCases_AndNeverFlipsItsSign()
    {
        foreach (var w in Cv.ByCompany.Weights.Concat(Cv.ByTime.Weights))
        {
            if (w.CasesFiring < Cv.Options.MinCasesToMove)
            {
                w.Fitted.Min.ShouldBe(w.Argued, 1e-9, w.Rule);
                w.Fitted.Max.ShouldBe(w.Argued, 1e-9, w.Rule);
            }

            (w.Fitted.Min * w.Argued).ShouldBeGreaterThanOrEqualTo(0, w.Rule);
            (w.Fitted.Max * w.Argued).ShouldBeGreaterThanOrEqualTo(0, w.Rule);
        }
    }

    [Fact]
    public void PackAsWritten_IsTheBacktest()
    {
        // The "pack as written" forecasts are the backtest's, not a refit: one per case.
        Cv.ByCompany.Cases.ShouldAllBe(c => c.Pack == c.Case.Probability);
        Cv.ByCompany.Pack.Cases.ShouldBe(Cases.Count);
    }

    [Fact]
    public void Library_LineReading_KeepsItsRankingGain()
    {
        // Pack 1.3.0: the same-line record rules (flagship-launched-without-weights,
        // api-only-flagship-alongside-open-models) read only the vendor's own line; a closed model
        // of another line is closed-line-beside-open-line's (rules/README.md, "Third review").
        // Out of sample on the 109-case library, pack as written, before -> after: by company ROC
        // AUC 0.721 -> 0.728 (Brier 0.218 -> 0.217), time split 0.714 -> 0.721 (0.160 -> 0.159);
        // fitted weights at the pack's prior, by company 0.745 -> 0.756. On the 97 cases before
        // the code, image and audio cases: 0.758 -> 0.762, 0.752 -> 0.756, 0.783 -> 0.789. These
        // floors sit between before and after on 109 cases, so going back to reading every line
        // fails here.
        // After the second labelling pass (three labels changed: InternVL 2024 and IndexTTS 2025
        // to true, DeepMind 2021 to false), 1.2.0 -> 1.3.0 on the same labels: by company AUC
        // 0.722 -> 0.732 (Brier 0.223 -> 0.222), fitted at the prior 0.742 -> 0.756; the time
        // split holds (AUC 0.717 both, Brier 0.179 both), so its floor sits just under 0.717 and
        // the by-company floor is the one that fails the old reading.
        // Pack 1.4.0 (media-generation-flagship, in the product-pivot group, weight 0.3) lowers the
        // time split's floor from 0.715 to 0.71: it takes the shipped pack's time-split AUC from
        // 0.717 to 0.712 (Brier 0.1790 -> 0.1794) while it raises the by-company figures (AUC
        // 0.732 -> 0.735, Brier 0.222 -> 0.220) and keeps both LR checks in 0.8..1.25. The same
        // rule outside the group gained on the time split (AUC 0.736) but put the flips' LR check
        // at 0.78; rules/README.md, "Fourth review", has both. The by-company floor is tightened.
        // Pack 1.5.0 (three weights from the library's counts, "Fifth review") takes the shipped
        // pack's AUC to 0.750 by company and 0.744 on the time split: tightened to 0.745 and 0.74.
        // The second evidence review (closed lines the dossiers had left out, written on flips and
        // non-flips alike) and pack 1.6.0 (closed-line-beside-open-line 0.1, equity-funded 0.15,
        // "Sixth review") take them to 0.771 and 0.774, fitted at the prior 0.762: tightened to
        // 0.765, 0.77 and 0.76.
        Cv.ByCompany.Pack.Auc.ShouldBeGreaterThanOrEqualTo(0.765);
        Cv.ByTime.Pack.Auc.ShouldBeGreaterThanOrEqualTo(0.77);
        Cv.ByCompany.FittedAtPrior.Auc.ShouldBeGreaterThanOrEqualTo(0.76);
    }

    [Fact]
    public void Library_CrossValidatedFigures_StayAboveTheirFloors()
    {
        // Out-of-sample figures of the whole library (docs/forecast-quality.md has the table and
        // the command). The floors sit a little under what the pack achieves, so a rule or weight
        // change that worsens them fails here. Targets (not all met): skill against the base rate
        // 0.25, ROC AUC 0.80, both LR checks in 0.8..1.25.
        Cases.Count.ShouldBeGreaterThanOrEqualTo(85);
        var atPrior = Cv.ByCompany.FittedAtPrior;
        var fitted = Cv.ByCompany.Fitted;
        // Lowered when the 12 code, image and audio cases of vendors outside the US (session 4,
        // casesA) joined the library (97 -> 109 cases), with no rule or weight changed: AUC at the
        // pack's prior 0.783 -> 0.745, fitted skill against the base rate 0.140 -> 0.102, against
        // the prior 0.218 -> 0.166 (on 85 cases: 0.793, 0.155, 0.234).
        // Tightened with pack 1.4.0 (release.modality and media-generation-flagship): AUC at the
        // pack's prior 0.756 -> 0.759, fitted skill against the base rate 0.114 -> 0.122, against
        // the prior 0.185 -> 0.192.
        // Pack 1.6.0 with the second evidence review: AUC at the prior 0.762 (tightened to 0.76),
        // fitted skill 0.119 and 0.189 (floors stand).
        atPrior.Auc.ShouldBeGreaterThanOrEqualTo(0.76);
        atPrior.Brier.ShouldBeLessThanOrEqualTo(Cv.ByCompany.Pack.Brier);
        fitted.SkillVsBaseRate.ShouldBeGreaterThanOrEqualTo(0.115);
        fitted.SkillVsPrior.ShouldBeGreaterThanOrEqualTo(0.185);
        fitted.MeanLrNoFlip.ShouldBeInRange(0.75, 1.3);
        fitted.MeanInverseLrFlipped.ShouldBeInRange(0.75, 1.3);
        // Issue #15's evidence rules (branch evidence) took this from above 0.75 to 0.712: a real
        // loss on the time split, left for the fit to weigh; the floor records it.
        // Pack 1.5.0 takes it to 0.738: tightened to 0.73. Pack 1.6.0 with the second evidence
        // review: 0.765, tightened to 0.76.
        Cv.ByTime.FittedAtPrior.Auc.ShouldBeGreaterThanOrEqualTo(0.76);
        // Since argued_weight: the fit's prior is centred on each rule's argument, not on the
        // shipped (already fitted) weight. Fitted from the argument on the cases before 2024, it
        // does worse on 2024-2025 than the shipped pack (Brier 0.184 against 0.180, AUC 0.712
        // against 0.773): the reason the shipped weights are the shrunk pre-2024 values and no
        // refit was shipped. The bound records that loss and fails if it grows.
        Cv.ByTime.FittedAtPrior.Brier.ShouldBeLessThanOrEqualTo(Cv.ByTime.Pack.Brier + 0.006);

        // The pack as shipped (1.2.0: pro-open-statement and consumer-or-device-pivot set to the
        // values the fit on the cases before 2024 gave, rules/README.md "Argued and fitted
        // weights"). 1.1.0 gave by company Brier 0.226, AUC 0.727; on the time split 0.187, 0.682.
        // The time split's test cases (2024-2025) were not used to choose these weights.
        // On the first 85 cases 1.2.0 gave by company Brier 0.223, AUC 0.785 and on the time split
        // 0.180, 0.773 (floors 0.224, 0.78, 0.181, 0.77). The 12 video and multimodal cases added
        // in session 4 (casesB), with the pack unchanged, give 0.226, 0.758 and 0.166, 0.752: the
        // pack ranks these vendors worse (it scores the new flips Wu Dao, Flamingo, Vidu and
        // Hotshot at 0.14-0.25, and Decart, no flip, at 0.41). The floors sit a little under the
        // figures on the current case set, so that a rule or weight change that worsens them fails.
        // The 12 code, image and audio cases of session 4 (casesA; 97 -> 109 cases) then gave
        // 0.218, 0.721 and 0.160, 0.714: Brier better, ranking worse (the pack misses the two new
        // flips, Kakao Brain 2022 and Kuaishou Kwaipilot 2025, and scores open lines beside closed
        // sister lines above the prior: Sber GigaAM, Stability audio 2025, 01.AI Yi-Coder). The AUC
        // floors follow; the Brier floors stand.
        // The second labelling pass over those 24 cases (InternVL 2024 and Bilibili 2025 to true,
        // DeepMind 2021 to false; 36 -> 37 flips) gave 0.223, 0.722 and 0.179, 0.717; fitted at
        // the prior AUC 0.742, skill 0.100 / 0.172; time split fitted Brier 0.178. Every floor holds;
        // none was moved (the time split's Brier, 0.179 against 0.181, is the closest).
        // Pack 1.4.0 (media-generation-flagship) gave by company Brier 0.220, AUC 0.735, and on
        // the time split 0.179, 0.712: the by-company floors are tightened (0.228 -> 0.222, 0.71
        // -> 0.73); the time split's stand. The shipped pack's LR checks are held in the target
        // range (by company 1.017 and 0.821, time split 1.043 and 0.829): the rule was chosen to
        // keep them there.
        // Pack 1.5.0 (enterprise-offering 0, all-flagships-open -0.1, open-flagship-cadence -0.35,
        // from the library's counts: rules/README.md "Fifth review") gives by company Brier 0.2183,
        // AUC 0.750, LR checks 1.007 and 0.804; time split 0.1773, 0.744, 1.030 and 0.803. The same
        // three changes with the weights the counts before 2024 alone give (enterprise-offering 0.1)
        // give 0.1777 and 0.741 on the time split, so its gain is not the test cases' own counts.
        // Brier and AUC floors tightened; the flips' LR checks sit just above 0.8 (cadence at -0.30
        // put the time split's at 0.796, and was not shipped).
        // The second evidence review added true facts the rules read to flips and non-flips alike
        // (rules/README.md, "Sixth review"; docs/labelling-review.md); on 1.5.0 they gave 0.2175,
        // 0.763, 1.019 and 0.788; 0.1772, 0.751, 1.048 and 0.790: both flips' checks under 0.8.
        // Pack 1.6.0 (closed-line-beside-open-line 0.1, equity-funded 0.15, from the counts) gives
        // 0.2175, 0.771, 0.981 and 0.803; 0.1761, 0.774, 1.000 and 0.804. Floors tightened; the
        // flips' checks again sit just above 0.8 (equity-funded at 0.2 put the by-company one at
        // 0.799).
        Cv.ByCompany.Pack.Brier.ShouldBeLessThanOrEqualTo(0.218);
        Cv.ByCompany.Pack.Auc.ShouldBeGreaterThanOrEqualTo(0.765);
        Cv.ByTime.Pack.Brier.ShouldBeLessThanOrEqualTo(0.177);
        Cv.ByTime.Pack.Auc.ShouldBeGreaterThanOrEqualTo(0.77);
        Cv.ByCompany.Pack.MeanLrNoFlip.ShouldBeInRange(0.8, 1.25);
        Cv.ByCompany.Pack.MeanInverseLrFlipped.ShouldBeInRange(0.8, 1.25);
        Cv.ByTime.Pack.MeanLrNoFlip.ShouldBeInRange(0.8, 1.25);
        Cv.ByTime.Pack.MeanInverseLrFlipped.ShouldBeInRange(0.8, 1.25);
    }

    [Fact]
    public void Intervals_OfEveryModelAndScheme_ContainTheirPointFigure()
    {
        // A percentile interval need not contain the point figure (the bootstrap distribution of a
        // ratio such as the skill can sit off its point: a draw's base rate is its own), but on the
        // library every one does, with room: the figures are then not at the edge of their noise.
        foreach (var s in new[] { Cv.ByCompany, Cv.ByTime })
        {
            foreach (var (model, f) in new[] { ("pack", s.Pack), ("fitted at prior", s.FittedAtPrior), ("argued", s.Argued), ("fitted", s.Fitted) })
            {
                var i = f.Intervals.ShouldNotBeNull();
                i.Level.ShouldBe(0.9);
                foreach (var (figure, point, interval) in new[]
                {
                    ("skill", f.SkillVsBaseRate, i.Skill),
                    ("ROC AUC", f.Auc, i.Auc),
                    ("mean LR no flip", f.MeanLrNoFlip, i.MeanLrNoFlip),
                    ("mean 1/LR flipped", f.MeanInverseLrFlipped, i.MeanInverseLrFlipped),
                })
                {
                    interval.Contains(point).ShouldBeTrue($"{s.Name}, {model}: {figure} {point} outside {interval}");
                    (interval.High - interval.Low).ShouldBeGreaterThan(0.01, $"{s.Name}, {model}: {figure}");
                }
            }
        }
    }

    [Fact]
    public void Intervals_ResampleTheTestedCasesCompanyGroups()
    {
        var company = Cv.ByCompany.Bootstrap.ShouldNotBeNull();
        company.Groups.ShouldBe(Cv.Groups.Count);
        company.Cases.ShouldBe(Cases.Count);
        company.Draws.ShouldBe(2000);
        company.Seed.ShouldBe(ClusterBootstrap.DefaultSeed);

        // The time split tests the cases from its day on: the groups those fall in.
        var time = Cv.ByTime.Bootstrap.ShouldNotBeNull();
        var (groupOf, _) = CaseGroups.Of([.. Cases.Select(c => c.Score.Dossier)]);
        var tested = Cv.ByTime.Folds.Single().TestRows;
        time.Cases.ShouldBe(tested.Count);
        time.Groups.ShouldBe(tested.Select(i => groupOf[i]).Distinct().Count());
        time.Groups.ShouldBeLessThan(company.Groups);

        // With 37 flips in 109 cases no draw of 65 companies misses an outcome.
        company.Skipped.ShouldBe(0);
    }

    [Fact]
    public void TheSkillInterval_IsRecomputedFromEachTestedCasesOwnCompanyAndOutcome()
    {
        // Independently of the index plumbing inside CrossValidator: group the by-company cases by
        // the fold that tested them (one per company group), draw with the same seed, and score each
        // draw against its own flip rate. A case paired with another case's company or outcome would
        // give other draws and another interval.
        var cases = Cv.ByCompany.Cases;
        var folds = cases.Select(c => c.Fold).Distinct().ToList();
        var groupOf = cases.Select(c => folds.IndexOf(c.Fold)).ToList();
        var y = cases.Select(c => c.Case.WentApiOnly).ToList();
        var (draws, skipped) = ClusterBootstrap.Draws(groupOf, y, ClusterBootstrap.DefaultDraws, ClusterBootstrap.DefaultSeed);
        skipped.ShouldBe(0);
        var skill = draws.Select(d =>
        {
            var dp = d.Select(i => cases[i].Pack).ToList();
            var dy = d.Select(i => y[i]).ToList();
            var rate = dy.Average(v => v ? 1.0 : 0.0);
            return Metrics.SkillScore(Metrics.Brier(dp, dy), Metrics.Brier([.. dy.Select(_ => rate)], dy));
        });
        var expected = ClusterBootstrap.Percentile(skill);
        Cv.ByCompany.Pack.Intervals.ShouldNotBeNull().Skill.ShouldBe(expected);
        expected.Low.ShouldBeLessThan(Cv.ByCompany.Pack.SkillVsBaseRate);
        expected.High.ShouldBeGreaterThan(Cv.ByCompany.Pack.SkillVsBaseRate);
    }
}

public sealed class CaseGroupsTests
{
    private static Dossier Vendor(string id, string? parent) =>
        new($"{id}.yaml", new VendorInfo(id, id, parent, null, [], SourceSpan.None($"{id}.yaml")), [], null);

    [Fact]
    public void Parents_AreComparedWithoutCompanyFormsOrParentheses()
    {
        var (groupOf, names) = CaseGroups.Of([
            Vendor("ernie", "Baidu, Inc."),
            Vendor("baidu-vision", "Baidu"),
            Vendor("mosaic", "Databricks (from July 2023)"),
            Vendor("databricks", null),
            Vendor("ai-singapore", null),
            Vendor("ai21", "AI21 Labs Ltd."),
            Vendor("inc-models", "Inc."),
        ]);
        groupOf[0].ShouldBe(groupOf[1]);
        groupOf[2].ShouldBe(groupOf[3]);
        groupOf[4].ShouldNotBe(groupOf[5]);
        groupOf[6].ShouldNotBe(groupOf[0], "a company form alone names no company");
        names.ShouldContain("baidu-vision+ernie");
    }

    [Fact]
    public void ALine_JoinsTheVendorItsIdStartsWith()
    {
        var (groupOf, _) = CaseGroups.Of([Vendor("zhipu", null), Vendor("zhipu-cogview", null), Vendor("huggingface-m4", null), Vendor("bigscience", "Hugging Face / ServiceNow"), Vendor("servicenow-ai", null)]);
        groupOf[0].ShouldBe(groupOf[1]);
        groupOf[2].ShouldBe(groupOf[3]);
        groupOf[4].ShouldBe(groupOf[3], "a parent written A / B names both companies");
    }
}
