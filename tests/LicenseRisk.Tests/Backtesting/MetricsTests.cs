using LicenseRisk.Backtesting;

namespace LicenseRisk.Tests.Backtesting;

/// <summary>Metric arithmetic against values computed by hand.</summary>
public sealed class MetricsTests
{
    private static readonly double[] P = [0.9, 0.2, 0.6, 0.6, 0.1];
    private static readonly bool[] Y = [true, false, true, false, false];

    [Fact]
    public void Brier_IsTheMeanSquaredError() =>
        Metrics.Brier(P, Y).ShouldBe((0.01 + 0.04 + 0.16 + 0.36 + 0.01) / 5, 1e-12);

    [Fact]
    public void LogLoss_IsTheMeanNegativeLogLikelihood() =>
        Metrics.LogLoss(P, Y).ShouldBe(-(Math.Log(0.9) + Math.Log(0.8) + Math.Log(0.6) + Math.Log(0.4) + Math.Log(0.9)) / 5, 1e-12);

    [Fact]
    public void LogLoss_ClipsCertainWrongForecasts() =>
        double.IsFinite(Metrics.LogLoss([0.0], [true])).ShouldBeTrue();

    [Fact]
    public void Auc_CountsTiesAsHalf() =>
        Metrics.Auc(P, Y).ShouldBe(5.5 / 6, 1e-12);

    [Fact]
    public void Auc_WithOneClass_IsUndefined() =>
        double.IsNaN(Metrics.Auc([0.1, 0.2], [true, true])).ShouldBeTrue();

    [Fact]
    public void LikelihoodRatioCheck_AveragesLrOverNonFlipsAndInverseLrOverFlips()
    {
        // Log-LRs ln 2, ln 0.5 (no flip) and ln 4, ln 1 (flipped): (2 + 0.5) / 2 and (1/4 + 1) / 2.
        var (noFlip, flipped) = Metrics.LikelihoodRatioCheck([Math.Log(2), Math.Log(0.5), Math.Log(4), 0], [false, false, true, true]);
        noFlip.ShouldBe(1.25, 1e-12);
        flipped.ShouldBe(0.625, 1e-12);
    }

    [Fact]
    public void LikelihoodRatioCheck_IsOneForTrueLikelihoodRatios_WhateverTheBaseRate()
    {
        // A signal seen by 60% of flippers and 20% of the others: LR 3 when seen, 0.5 when not.
        // Any case set with those frequencies, enriched or not, averages to exactly 1 on both sides.
        var logLr = new List<double>();
        var y = new List<bool>();
        void Add(bool flipped, bool seen, int n)
        {
            for (var i = 0; i < n; i++)
            {
                logLr.Add(Math.Log(seen ? 3 : 0.5));
                y.Add(flipped);
            }
        }

        Add(true, true, 6);
        Add(true, false, 4);
        Add(false, true, 20);
        Add(false, false, 80);
        var (noFlip, flipped) = Metrics.LikelihoodRatioCheck(logLr, y);
        noFlip.ShouldBe(1, 1e-12);
        flipped.ShouldBe(1, 1e-12);
    }

    [Fact]
    public void Decompose_SplitsTheBrierScore_ByHand()
    {
        // Sorted: 0.1 (no), 0.2 (no), 0.6 and 0.6 (one each, pooled to 0.5), 0.9 (yes): already
        // monotone, so the recalibrated Brier is (0.25 + 0.25) / 5 = 0.1. Flip rate 0.4: uncertainty
        // 0.24, discrimination 0.24 - 0.1, miscalibration 0.116 - 0.1.
        var d = Metrics.Decompose(P, Y);
        d.Uncertainty.ShouldBe(0.24, 1e-12);
        d.Discrimination.ShouldBe(0.14, 1e-12);
        d.Miscalibration.ShouldBe(0.016, 1e-12);
        (d.Miscalibration - d.Discrimination + d.Uncertainty).ShouldBe(Metrics.Brier(P, Y), 1e-12);
        d.DiscriminationSkill.ShouldBe(0.14 / 0.24, 1e-12);
    }

    [Fact]
    public void Decompose_ARankingBackwards_HasNoDiscrimination()
    {
        // The flip has the lowest forecast: pooling the violators leaves one block at the flip rate.
        var d = Metrics.Decompose([0.1, 0.2, 0.3], [true, false, false]);
        d.Discrimination.ShouldBe(0, 1e-12);
        d.DiscriminationSkill.ShouldBe(0, 1e-12);
        d.Miscalibration.ShouldBe((0.94 / 3) - (2.0 / 9), 1e-12);
    }

    [Fact]
    public void Decompose_PerfectRanking_HasTheWholeUncertaintyAsDiscrimination()
    {
        var d = Metrics.Decompose([0.3, 0.35, 0.4, 0.45], [false, false, true, true]);
        d.Discrimination.ShouldBe(0.25, 1e-12);
        d.DiscriminationSkill.ShouldBe(1, 1e-12);
        d.Miscalibration.ShouldBe(Metrics.Brier([0.3, 0.35, 0.4, 0.45], [false, false, true, true]), 1e-12);
    }

    [Fact]
    public void Decompose_OneOutcomeOnly_HasNoCeiling() =>
        double.IsNaN(Metrics.Decompose([0.2, 0.4], [false, false]).DiscriminationSkill).ShouldBeTrue();

    [Fact]
    public void Decompose_TiedForecasts_PoolAsOne_WhateverTheCasesOrder()
    {
        // Sorted: two cases at 0.1 (one flip), three at 0.2 (two flips): means 0.5 then 2/3, already
        // monotone, so the recalibrated Brier is (0.5 + 2/3) / 5 and nothing is pooled across forecasts.
        // Flip rate 0.6: uncertainty 0.24; Brier (0.01 + 0.81 + 0.04 + 0.64 + 0.64) / 5 = 0.428.
        double[] p = [0.1, 0.1, 0.2, 0.2, 0.2];
        var recalibrated = (0.5 + (2.0 / 3)) / 5;
        foreach (bool[] y in new[] { new[] { false, true, false, true, true }, [true, false, true, true, false], [true, false, true, false, true] })
        {
            var d = Metrics.Decompose(p, y);
            d.Uncertainty.ShouldBe(0.24, 1e-12);
            d.Discrimination.ShouldBe(0.24 - recalibrated, 1e-12, string.Join(",", y));
            d.Miscalibration.ShouldBe(0.428 - recalibrated, 1e-12, string.Join(",", y));
        }
    }

    [Fact]
    public void Decompose_AConstantForecast_HasNoDiscrimination_NotANegativeOne()
    {
        // One block at the flip rate: the discrimination is 0, never a rounding error below it (which
        // the tables print as -0.000), whatever the count of cases and flips.
        for (var n = 2; n <= 30; n++)
        {
            for (var flips = 1; flips < n; flips++)
            {
                var y = Enumerable.Range(0, n).Select(i => i < flips).ToArray();
                var constant = Metrics.Decompose(Enumerable.Repeat(0.2, n).ToArray(), y);
                constant.Discrimination.ShouldBe(0.0, $"{flips} of {n}");
                constant.DiscriminationSkill.ShouldBe(0.0, $"{flips} of {n}");

                // The flip rate itself is calibrated too: no miscalibration below 0 either.
                var rate = Metrics.Decompose(Enumerable.Repeat(flips / (double)n, n).ToArray(), y);
                rate.Miscalibration.ShouldBeGreaterThanOrEqualTo(0, $"{flips} of {n}");
                rate.Discrimination.ShouldBe(0.0, $"{flips} of {n}");
            }
        }
    }

    [Fact]
    public void Decompose_ANaNForecast_GivesNaNNotAHang()
    {
        var d = Metrics.Decompose([0.2, double.NaN, 0.4], [false, true, true]);
        double.IsNaN(d.Miscalibration).ShouldBeTrue();
        d.Uncertainty.ShouldBe(2.0 / 9, 1e-12);
    }

    [Fact]
    public void SkillScore_ComparesWithTheReference()
    {
        Metrics.SkillScore(0.15, 0.2).ShouldBe(0.25, 1e-12);
        Metrics.SkillScore(0.3, 0.2).ShouldBe(-0.5, 1e-12);
    }

    [Fact]
    public void Reliability_PutsEachForecastInItsBin()
    {
        var bins = Metrics.Reliability(P, Y);
        bins.Select(b => b.Bin).ShouldBe(["0.0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0"]);
        bins.Select(b => b.Cases).ShouldBe([1, 1, 0, 2, 1]);
        bins[3].MeanPredicted.ShouldBe(0.6, 1e-12);
        bins[3].Observed.ShouldBe(0.5, 1e-12);
        bins[4].Observed.ShouldBe(1);
        Metrics.Reliability([1.0], [true])[4].Cases.ShouldBe(1);
    }
}
