using System.Globalization;
using System.Text;
using LicenseRisk.Backtesting;

namespace LicenseRisk.Presentation.Backtest;

/// <summary>What <c>calibrate</c> prints: the nested cross-validation (each scheme's figures, spread and folds), then the fit on all cases.</summary>
public static class CalibrationTable
{
    public static string Write(BacktestReport report, NestedCrossValidation cv, CalibrationResult fit)
    {
        var sb = new StringBuilder();
        var o = cv.Options;
        sb.Append(CultureInfo.InvariantCulture, $"Calibrated on {report.Cases} cases ({report.Positives} went API-only) in {cv.Groups.Count} company groups.\n");
        sb.Append(CultureInfo.InvariantCulture, $"Nested cross-validation: each outer fold chooses the width (x each rule's sd: {string.Join(", ", o.WidthScales.Select(F2))}; 0 keeps the argued weights) and\n");
        sb.Append(CultureInfo.InvariantCulture, $"which weights move, by {o.InnerFolds} grouped inner folds of its training cases, then fits the intercept and the weights (a weight moves only\n");
        sb.Append(CultureInfo.InvariantCulture, $"if its rule fires in {o.MinCasesToMove} training cases, keeps its sign and helps). Skill is against the tested cases' own flip rate (base\n");
        sb.Append(CultureInfo.InvariantCulture, $"rate) and against the prior {F3(cv.Prior)}; ROC AUC and the LR check rank the evidence. All figures below are out of sample.\n\n");
        Scheme(sb, cv.ByCompany, $"Leave one company out ({cv.ByCompany.Folds.Count} folds)");
        var time = cv.ByTime.Folds.Count > 0 ? cv.ByTime.Folds[0] : null;
        Scheme(sb, cv.ByTime, time is null
            ? $"Time split at {Day(o.TimeSplit)}: no cases on one side"
            : $"Time split: fit on {time.TrainCases} cases dated before {Day(o.TimeSplit)} (newest {Day(time.TrainNewest)}), test on {time.TestCases} from {Day(o.TimeSplit)} (oldest {Day(time.TestOldest)})");
        foreach (var by in cv.Strata)
        {
            Strata(sb, by);
        }

        Folds(sb, cv.ByCompany, "LEAVE ONE COMPANY OUT");
        Folds(sb, cv.ByTime, "TIME SPLIT");

        sb.Append(CultureInfo.InvariantCulture, $"Fit on all cases (width {F2(fit.WidthScale)}, chosen the same way): prior {F3(cv.Prior)} -> {F3(fit.Prior)} (the cases' own flip rate shows\n");
        sb.Append("here: remembered cases are enriched with flips, so keep the prior unless the cases are a fair sample; docs/forecast-quality.md).\n");
        sb.Append(CultureInfo.InvariantCulture, $"Kept as argued because moving them did not help in the inner folds: {(fit.Pinned.Count == 0 ? "none" : string.Join(", ", fit.Pinned))}.\n");
        sb.Append("Folds: the least and greatest value the leave-one-company-out folds fitted.\n\n");
        sb.Append("RULE                                     ARGUED  FITTED  CHANGE  CASES   FOLDS MIN   MAX\n");
        var spread = cv.ByCompany.Weights.ToDictionary(w => w.Rule, w => w.Fitted, StringComparer.Ordinal);
        foreach (var (rule, before, after, cases) in fit.Weights.OrderByDescending(w => Math.Abs(w.Fitted - w.PackWeight)).ThenBy(w => w.Rule, StringComparer.Ordinal))
        {
            var s = spread.GetValueOrDefault(rule) ?? CvSpread.Of([]);
            sb.Append(CultureInfo.InvariantCulture, $"{rule,-40} {Numbers.Signed(before),6}  {Numbers.Signed(after),6}  {Numbers.Signed(after - before),6}  {cases,5}  {Signed(s.Min),10}  {Signed(s.Max),5}\n");
        }

        return sb.ToString();
    }

    private static void Scheme(StringBuilder sb, CvScheme s, string title)
    {
        sb.Append(title).Append('\n');
        sb.Append("MODEL (OUT OF SAMPLE)               CASES  FLIPS  BRIER  LOG LOSS  SKILL/BASE RATE  SKILL/PRIOR  ROC AUC  MEAN LR NO FLIP  MEAN 1/LR FLIPPED\n");
        Row(sb, "pack as written", s.Pack);
        Row(sb, "fitted weights, the pack's prior", s.FittedAtPrior);
        Row(sb, "argued weights, fitted intercept", s.Argued);
        Row(sb, "fitted weights, fitted intercept", s.Fitted);
        Intervals(sb, s);
        var widths = s.Folds.GroupBy(f => f.WidthScale).OrderBy(g => g.Key).Select(g => $"{F2(g.Key)} x{g.Count()}");
        sb.Append(CultureInfo.InvariantCulture, $"base rate {F3(s.BaseRate)}; spread over {s.Folds.Count} folds: Brier of the fit {Spread(s.FittedBrier)}; its gain over the argued weights\n{Spread(s.Gain)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"folds where the fit beat the argued weights: {s.Folds.Count(f => f.FittedBrier < f.ArguedBrier - 1e-12)}, lost: {s.Folds.Count(f => f.FittedBrier > f.ArguedBrier + 1e-12)}; widths chosen: {string.Join(", ", widths)}\n");
        sb.Append("Brier = miscalibration - discrimination + uncertainty (CORP); the ceiling is the skill against the base rate that a perfect\n");
        sb.Append("monotone recalibration of the same forecasts would reach: what calibration alone can win, given the ranking\n");
        sb.Append("MODEL (OUT OF SAMPLE)               MISCALIBRATION  DISCRIMINATION  UNCERTAINTY  CEILING\n");
        Parts(sb, "pack as written", s.Pack.Decomposition);
        Parts(sb, "fitted weights, the pack's prior", s.FittedAtPrior.Decomposition);
        Parts(sb, "argued weights, fitted intercept", s.Argued.Decomposition);
        Parts(sb, "fitted weights, fitted intercept", s.Fitted.Decomposition);
        sb.Append('\n');
    }

    /// <summary>The cluster bootstrap's intervals, one line per model under the table's columns.</summary>
    private static void Intervals(StringBuilder sb, CvScheme s)
    {
        if (s.Bootstrap is not { Cases: > 0 } b)
        {
            return;
        }

        sb.Append(BacktestWriters.Drawn(b, "tested cases")).Append(";\n");
        sb.Append("forecasts fixed (not refitted per draw); nearest-rank percentiles, seed ").Append(b.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("MODEL (OUT OF SAMPLE)                           SKILL/BASE RATE          ROC AUC  MEAN LR NO FLIP  MEAN 1/LR FLIPPED\n");
        IntervalRow(sb, "pack as written", s.Pack.Intervals);
        IntervalRow(sb, "fitted weights, the pack's prior", s.FittedAtPrior.Intervals);
        IntervalRow(sb, "argued weights, fitted intercept", s.Argued.Intervals);
        IntervalRow(sb, "fitted weights, fitted intercept", s.Fitted.Intervals);
    }

    private static void IntervalRow(StringBuilder sb, string name, CvIntervals? i)
    {
        if (i is null)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"{name,-34} {BacktestWriters.Range(i.Skill),28}  {BacktestWriters.Range(i.Auc),15}  {BacktestWriters.Range(i.MeanLrNoFlip),15}  {BacktestWriters.Range(i.MeanInverseLrFlipped),17}\n");
    }

    private static void Parts(StringBuilder sb, string name, BrierDecomposition d) =>
        sb.Append(CultureInfo.InvariantCulture, $"{name,-34} {F3(d.Miscalibration),15}  {F3(d.Discrimination),14}  {F3(d.Uncertainty),11}  {F3(d.DiscriminationSkill),7}\n");

    private static void Row(StringBuilder sb, string name, CvFigures f) =>
        sb.Append(CultureInfo.InvariantCulture, $"{name,-34} {f.Cases,6}  {f.Positives,5}  {F3(f.Brier)}  {F3(f.LogLoss),8}  {F3(f.SkillVsBaseRate),15}  {F3(f.SkillVsPrior),11}  {F3(f.Auc),7}  {F3(f.MeanLrNoFlip),15}  {F3(f.MeanInverseLrFlipped),17}\n");

    private static void Strata(StringBuilder sb, CvStrata by)
    {
        sb.Append(CultureInfo.InvariantCulture, $"Leave one company out, the pack as written, by {by.By.Replace('_', ' ')} (base rate: the stratum's own flip rate; n/a: one outcome only)\n");
        sb.Append("STRATUM         CASES  FLIPS  BRIER  BASE RATE  SKILL/BASE RATE  ROC AUC  MEAN P FLIPS  MEAN P NO FLIP\n");
        foreach (var x in by.Strata)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{x.Name,-14} {x.Cases,6}  {x.Flips,5}  {F3(x.Brier)}  {F3(x.BaseRateBrier),9}  {F3(x.Skill),15}  {F3(x.Auc),7}  {F3(x.MeanFlipped),12}  {F3(x.MeanNotFlipped),14}\n");
        }

        sb.Append('\n');
    }

    private static void Folds(StringBuilder sb, CvScheme s, string title)
    {
        sb.Append(CultureInfo.InvariantCulture, $"{title}: the Brier score of each fold's test cases (fitted intercept: the argued weights, the fitted weights)\n");
        sb.Append("FOLD (TEST CASES)                          TRAIN  FLIPS  TEST  FLIPS  WIDTH  INTERCEPT  BASE RATE   PACK  FIT AT PRIOR  ARGUED  FITTED\n");
        foreach (var f in s.Folds)
        {
            var name = f.Name.Length > 42 ? f.Name[..41] + "~" : f.Name;
            sb.Append(CultureInfo.InvariantCulture, $"{name,-42} {f.TrainCases,5}  {f.TrainPositives,5}  {f.TestCases,4}  {f.TestPositives,5}  {F2(f.WidthScale),5}  {F3(f.FittedPrior),9}  {F3(f.BaseRateBrier),9}  {F3(f.PackBrier)}  {F3(f.FittedAtPriorBrier),12}  {F3(f.ArguedBrier),6}  {F3(f.FittedBrier),6}\n");
        }

        sb.Append('\n');
    }

    private static string Spread(CvSpread s) => $"mean {F3(s.Mean)}, sd {F3(s.Sd)}, {F3(s.Min)} to {F3(s.Max)}";

    private static string Signed(double x) => double.IsFinite(x) ? Numbers.Signed(x) : "n/a";

    private static string Day(DateOnly? day) => day is { } d ? Model.IsoDate.Format(d) : "n/a";

    private static string F3(double x) => double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    private static string F2(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
}
