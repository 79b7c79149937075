namespace LicenseRisk.Backtesting;

public sealed record ReliabilityBin(string Bin, double Low, double High, int Cases, double MeanPredicted, double Observed);

/// <summary>
/// The Brier score split into what calibration costs and what ranking earns (CORP: Dimitriadis,
/// Gneiting and Jordan, PNAS 2021): Brier = <see cref="Miscalibration"/> - <see cref="Discrimination"/>
/// + <see cref="Uncertainty"/>. Uncertainty is the Brier score of the cases' own flip rate;
/// discrimination is how much of it the forecasts' ranking removes once recalibrated
/// (isotonically, in sample); miscalibration is what the forecasts as given lose against that
/// recalibration. <see cref="DiscriminationSkill"/> is the skill against the flip rate that a
/// perfect monotone recalibration would reach: the ceiling of calibration work, given this ranking.
/// </summary>
public sealed record BrierDecomposition(double Miscalibration, double Discrimination, double Uncertainty)
{
    public double DiscriminationSkill => Uncertainty == 0 ? double.NaN : Discrimination / Uncertainty;
}

/// <summary>Forecast-quality metrics for binary outcomes.</summary>
public static class Metrics
{
    public const double Epsilon = 1e-15;

    public static double Brier(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        Check(p, y);
        var sum = 0.0;
        for (var i = 0; i < p.Count; i++)
        {
            var d = p[i] - (y[i] ? 1 : 0);
            sum += d * d;
        }

        return sum / p.Count;
    }

    /// <summary>Mean negative log-likelihood (natural log); probabilities clipped to [1e-15, 1 - 1e-15].</summary>
    public static double LogLoss(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        Check(p, y);
        var sum = 0.0;
        for (var i = 0; i < p.Count; i++)
        {
            var q = Math.Clamp(p[i], Epsilon, 1 - Epsilon);
            sum -= y[i] ? Math.Log(q) : Math.Log(1 - q);
        }

        return sum / p.Count;
    }

    /// <summary>1 - Brier / reference Brier: above 0 beats the reference, 1 is perfect.</summary>
    public static double SkillScore(double brier, double referenceBrier) =>
        referenceBrier == 0 ? 0 : 1 - (brier / referenceBrier);

    /// <summary>ROC AUC as the Mann-Whitney probability that a positive outranks a negative; ties count one half. NaN without both classes.</summary>
    public static double Auc(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        Check(p, y);
        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < p.Count; i++)
        {
            if (!y[i])
            {
                continue;
            }

            for (var j = 0; j < p.Count; j++)
            {
                if (y[j])
                {
                    continue;
                }

                pairs++;
                wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
            }
        }

        return pairs == 0 ? double.NaN : wins / pairs;
    }

    /// <summary>
    /// The likelihood-ratio check: for the pack's evidence to be a true likelihood ratio, the mean
    /// LR over the cases that did not flip must be 1, and so must the mean 1/LR over the cases that
    /// flipped (E[P(x|yes)/P(x|no) | no] = 1). Unlike Brier or reliability, neither mean depends on
    /// how many flips the case set holds. Both below 1: weights too weak; both above 1: too strong;
    /// the first below and the second above 1: evidence leans protective overall. NaN when a side
    /// has no case.
    /// </summary>
    /// <param name="logLr">Each case's summed counted contributions (its log likelihood ratio).</param>
    public static (double NoFlip, double Flipped) LikelihoodRatioCheck(IReadOnlyList<double> logLr, IReadOnlyList<bool> y)
    {
        Check(logLr, y);
        double no = 0, yes = 0;
        int nNo = 0, nYes = 0;
        for (var i = 0; i < logLr.Count; i++)
        {
            if (y[i])
            {
                yes += Math.Exp(-logLr[i]);
                nYes++;
            }
            else
            {
                no += Math.Exp(logLr[i]);
                nNo++;
            }
        }

        return (nNo == 0 ? double.NaN : no / nNo, nYes == 0 ? double.NaN : yes / nYes);
    }

    /// <summary>
    /// The CORP decomposition of the Brier score (<see cref="BrierDecomposition"/>). The
    /// recalibrated forecasts are the pool-adjacent-violators fit of the outcomes on the forecasts
    /// (equal forecasts pooled first), so they keep the forecasts' order and are calibrated in
    /// sample; the three parts add up to <see cref="Brier"/> exactly, up to rounding.
    /// </summary>
    public static BrierDecomposition Decompose(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        Check(p, y);
        var order = Enumerable.Range(0, p.Count).OrderBy(i => p[i]).ToArray();

        // Blocks of (outcomes summed, cases), kept non-decreasing in mean by pooling violators. A run
        // of equal forecasts enters as one block, whole, before any pooling: pooled case by case, its
        // first cases could drag earlier blocks into a pool that the run as a whole would not need,
        // and the fit (so the split) would depend on the order of the tied cases.
        var sums = new List<double>(p.Count);
        var counts = new List<int>(p.Count);
        for (var k = 0; k < order.Length;)
        {
            // At least one case per block, so a forecast equal to nothing (NaN) still moves on.
            var forecast = p[order[k]];
            var sum = 0.0;
            var count = 0;
            do
            {
                sum += y[order[k]] ? 1 : 0;
                count++;
                k++;
            }
            while (k < order.Length && p[order[k]] == forecast);

            sums.Add(sum);
            counts.Add(count);
            while (sums.Count > 1 && sums[^2] * counts[^1] > sums[^1] * counts[^2])
            {
                sums[^2] += sums[^1];
                counts[^2] += counts[^1];
                sums.RemoveAt(sums.Count - 1);
                counts.RemoveAt(counts.Count - 1);
            }
        }

        // A block's Brier score against its own mean: s (1 - s / n) summed, over all cases.
        var recalibrated = 0.0;
        for (var b = 0; b < sums.Count; b++)
        {
            recalibrated += BlockBrier(sums[b], counts[b]);
        }

        recalibrated /= p.Count;

        // The flip rate's Brier score by the same formula as a block's, so that forecasts pooled into
        // one block (a constant forecast, a ranking backwards) have a discrimination of exactly 0.
        var uncertainty = BlockBrier(y.Count(v => v), y.Count) / y.Count;

        // Both parts are at least 0 (the recalibration is the best monotone fit, and both the forecasts
        // and the flip rate are monotone); a rounding error below 0 would print as -0.000.
        return new BrierDecomposition(
            Math.Max(0, Brier(p, y) - recalibrated),
            Math.Max(0, uncertainty - recalibrated),
            uncertainty);

        static double BlockBrier(double sum, int count) => sum * (1 - (sum / count));
    }

    /// <summary>Equal-width bins over [0, 1]; the last bin includes 1.</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> p, IReadOnlyList<bool> y, int bins = 5)
    {
        Check(p, y);
        var result = new List<ReliabilityBin>();
        for (var b = 0; b < bins; b++)
        {
            var low = (double)b / bins;
            var high = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, p.Count).Where(i => p[i] >= low && (p[i] < high || (b == bins - 1 && p[i] <= high))).ToList();
            var name = FormattableString.Invariant($"{low:0.0}-{high:0.0}");
            result.Add(members.Count == 0
                ? new ReliabilityBin(name, low, high, 0, 0, 0)
                : new ReliabilityBin(name, low, high, members.Count, members.Average(i => p[i]), members.Average(i => y[i] ? 1.0 : 0.0)));
        }

        return result;
    }

    private static void Check(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        if (p.Count != y.Count || p.Count == 0)
        {
            throw new ArgumentException("forecasts and outcomes must be non-empty and of equal length");
        }
    }
}
