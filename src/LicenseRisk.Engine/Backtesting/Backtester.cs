using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Application;

namespace LicenseRisk.Backtesting;

/// <summary>One historical case scored as of its own day, with its known outcome.</summary>
public sealed record CaseResult(VendorScore Score, bool WentApiOnly)
{
    public double Probability => Score.Probability;

    public double Error => Math.Abs(Probability - (WentApiOnly ? 1 : 0));
}

public sealed record BacktestReport(
    PackInfo Pack,
    string PackSha256,
    string? PolicySha256,
    double Prior,
    int Cases,
    int Positives,
    double Brier,
    double LogLoss,
    double BaseRateBrier,
    double BrierSkillScore,
    double Auc,
    double MeanLrNoFlip,
    double MeanInverseLrFlipped,
    BrierDecomposition Decomposition,
    IReadOnlyList<ReliabilityBin> Reliability,
    IReadOnlyList<CaseResult> Results,
    IReadOnlyList<string> Skipped)
{
    /// <summary>
    /// The 90% intervals of the Brier skill score (against the prior, as <see cref="BrierSkillScore"/>),
    /// ROC AUC and both likelihood-ratio checks by a cluster bootstrap over the cases' company groups
    /// (<see cref="ClusterBootstrap"/>); null when the cases fall in fewer than two groups or hold one outcome only.
    /// </summary>
    public CvIntervals? Intervals { get; init; }

    /// <summary>How the intervals were drawn; null when there are none.</summary>
    public CvBootstrap? Bootstrap { get; init; }
}

/// <summary>Scores every dossier with a case: block as of its own as_of and horizon (no look-ahead).</summary>
public static class Backtester
{
    /// <summary>
    /// Backtests the dossiers with a case: block; with <paramref name="intervals"/>, also the 90%
    /// intervals of the figures (calibrate, which prints its own out-of-sample intervals, skips them).
    /// </summary>
    public static BacktestReport Run(CompiledPack pack, IReadOnlyList<Dossier> dossiers, Policy? policy = null, bool intervals = true)
    {
        var withCase = dossiers.Where(d => d.Case is not null).ToList();
        var scores = BatchScorer.Score(pack, [.. withCase.Select(d => new ScoreJob(d, d.Case!.AsOf, d.Case.HorizonMonths))], policy);
        var results = withCase.Select((d, i) => new CaseResult(scores[i], d.Case!.WentApiOnly)).ToList();
        var skipped = dossiers.Where(d => d.Case is null).Select(d => $"{d.File}: no case: block (outcome not known), not backtested").ToList();
        var prior = policy?.Prior ?? pack.Model.Prior;
        if (results.Count == 0)
        {
            return new BacktestReport(pack.Info, pack.Sha256, policy?.Sha256, prior, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, new BrierDecomposition(double.NaN, double.NaN, double.NaN), [], [], skipped);
        }

        var p = results.Select(r => r.Probability).ToList();
        var y = results.Select(r => r.WentApiOnly).ToList();
        var baseRate = results.Select(r => Scorer.ToHorizon(prior, (double)r.Score.HorizonMonths / pack.Model.HorizonMonths)).ToList();
        var brier = Metrics.Brier(p, y);

        // Each case's evidence at the horizon its outcome is judged on: the forecast's log odds
        // against the prior's, both at that horizon (the summed contributions at the pack's).
        var evidence = results.Select((r, i) => Scorer.Logit(r.Probability) - Scorer.Logit(baseRate[i])).ToList();
        var lr = Metrics.LikelihoodRatioCheck(evidence, y);
        var baseBrier = Metrics.Brier(baseRate, y);
        var (drawnIntervals, bootstrap) = intervals ? Resample(withCase, p, y, baseRate, evidence) : (null, null);
        var ordered = results
            .OrderByDescending(r => r.Error)
            .ThenBy(r => r.Score.Id, StringComparer.Ordinal)
            .ThenBy(r => r.Score.AsOf)
            .ToList();
        return new BacktestReport(
            pack.Info,
            pack.Sha256,
            policy?.Sha256,
            prior,
            results.Count,
            y.Count(v => v),
            brier,
            Metrics.LogLoss(p, y),
            baseBrier,
            Metrics.SkillScore(brier, baseBrier),
            Metrics.Auc(p, y),
            lr.NoFlip,
            lr.Flipped,
            Metrics.Decompose(p, y),
            Metrics.Reliability(p, y),
            ordered,
            skipped)
        {
            Intervals = drawnIntervals,
            Bootstrap = bootstrap,
        };
    }

    /// <summary>
    /// The cluster bootstrap of the in-sample figures: the cases' company groups (<see cref="CaseGroups"/>)
    /// resampled, each figure computed on a draw as on all cases (the skill against the prior at each
    /// case's horizon, ROC AUC of the forecasts, the LR check of the evidence). None with fewer than
    /// two groups or one outcome only: no draw could then vary what the figures measure.
    /// </summary>
    private static (CvIntervals?, CvBootstrap?) Resample(IReadOnlyList<Dossier> dossiers, List<double> p, List<bool> y, List<double> baseRate, List<double> evidence)
    {
        var (groupOf, names) = CaseGroups.Of(dossiers);
        if (names.Count < 2 || y.All(v => v) || !y.Any(v => v))
        {
            return (null, null);
        }

        var (draws, skipped) = ClusterBootstrap.Draws(groupOf, y, ClusterBootstrap.DefaultDraws, ClusterBootstrap.DefaultSeed);
        return (
            ClusterBootstrap.Intervals(draws, y, p, baseRate, p, evidence),
            new CvBootstrap(names.Count, y.Count, ClusterBootstrap.DefaultDraws, skipped, ClusterBootstrap.DefaultSeed, ClusterBootstrap.Level));
    }
}
