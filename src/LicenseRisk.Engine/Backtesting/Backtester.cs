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
    IReadOnlyList<string> Skipped);

/// <summary>Scores every dossier with a case: block as of its own as_of and horizon (no look-ahead).</summary>
public static class Backtester
{
    public static BacktestReport Run(CompiledPack pack, IReadOnlyList<Dossier> dossiers, Policy? policy = null)
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
        var lr = Metrics.LikelihoodRatioCheck(results.Select((r, i) => Scorer.Logit(r.Probability) - Scorer.Logit(baseRate[i])).ToList(), y);
        var baseBrier = Metrics.Brier(baseRate, y);
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
            skipped);
    }
}
